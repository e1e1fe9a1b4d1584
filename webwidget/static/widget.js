/* Acupressure guide chat widget: one script tag, no build step, no CDN.
 *
 *   <script>window.acupressureWidget = {serverUrl: "https://bot.example.org", title: "Ask us"};</script>
 *   <script src="https://widget.example.org/widget.js" defer></script>
 *
 * Talks to Rasa's socket.io channel (session_request / user_uttered / bot_uttered) with
 * socket.io-client from npm, served next to this file. Bot text is never parsed as HTML:
 * every message is built from text nodes (bold and line breaks only).
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var base = new URL(".", script ? script.src : window.location.href).href;
  var KEY = "acu-widget:";
  var store = window.sessionStorage; // the session id is a bearer secret: kept per tab, gone with it

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else if (name === "class") node.className = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  // **bold** and line breaks; everything else stays text (no innerHTML anywhere).
  function richText(text) {
    var fragment = document.createDocumentFragment();
    String(text).split("\n").forEach(function (line, index) {
      if (index) fragment.appendChild(document.createElement("br"));
      line.split(/\*\*(.+?)\*\*/).forEach(function (part, i) {
        if (!part) return;
        fragment.appendChild(i % 2 ? el("strong", { text: part }) : document.createTextNode(part));
      });
    });
    return fragment;
  }

  function safeUrl(src) {
    try {
      var url = new URL(src, base);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function newSessionId() {
    var bytes = new Uint8Array(16); // 128 bits
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var tag = el("script", { src: src });
      tag.onload = resolve;
      tag.onerror = function () { reject(new Error("cannot load " + src)); };
      document.head.appendChild(tag);
    });
  }

  function getJson(path) {
    return fetch(base + path, { credentials: "omit" }).then(function (r) {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return r.json();
    });
  }

  function readConfig(serverConfig) {
    var config = Object.assign({ title: "Chat", colours: {}, startOpen: false }, serverConfig, window.acupressureWidget || {});
    var attr = script && script.getAttribute("data-config");
    if (attr) {
      try { Object.assign(config, JSON.parse(attr)); } catch (e) { /* a broken attribute keeps the defaults */ }
    }
    return config;
  }

  function Widget(config, bodyMap) {
    this.config = config;
    this.bodyMap = bodyMap;
    this.sessionId = store.getItem(KEY + "session");
    if (!this.sessionId || !/^[0-9a-f]{32,}$/.test(this.sessionId)) {
      this.sessionId = newSessionId();
      store.setItem(KEY + "session", this.sessionId);
    }
    this.historyKey = KEY + "history:" + this.sessionId;
    this.history = JSON.parse(store.getItem(this.historyKey) || "[]");
    this.outbox = JSON.parse(store.getItem(KEY + "outbox:" + this.sessionId) || "[]");
    this.ready = false;
    this.build();
    this.history.forEach(this.render.bind(this));
    if (!this.history.length && config.initialMessage) this.add({ from: "bot", text: config.initialMessage, local: true });
    this.refreshButtons();
    this.connect();
    if (config.startOpen) this.open(false);
  }

  Widget.prototype.save = function () {
    var withoutNodes = function (key, value) { return key === "node" ? undefined : value; };
    store.setItem(this.historyKey, JSON.stringify(this.history.slice(-300), withoutNodes));
    store.setItem(KEY + "outbox:" + this.sessionId, JSON.stringify(this.outbox));
  };

  Widget.prototype.build = function () {
    var c = this.config;
    var root = (this.root = el("div", { class: "acu-widget" }));
    var colours = c.colours || {};
    if (colours.accent) root.style.setProperty("--acu-accent", colours.accent);
    if (colours.accentText) root.style.setProperty("--acu-accent-text", colours.accentText);
    if (colours.background) root.style.setProperty("--acu-bg", colours.background);
    if (colours.text) root.style.setProperty("--acu-text", colours.text);

    this.launcher = el("button", { class: "acu-launcher", type: "button", "aria-expanded": "false", "aria-controls": "acu-panel" }, [
      el("span", { class: "acu-launcher-icon", "aria-hidden": "true", text: "\u{1F4AC}" }),
      el("span", { text: c.title }),
    ]);
    this.status = el("p", { class: "acu-status", role: "status", text: "Connecting\u2026" });
    this.closeButton = el("button", { class: "acu-close", type: "button", "aria-label": "Close chat", text: "\u00D7" });
    var header = el("div", { class: "acu-header" }, [
      el("div", {}, [el("h2", { class: "acu-title", id: "acu-title", text: c.title }), this.status]),
      this.closeButton,
    ]);
    this.log = el("div", { class: "acu-log", role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0" });
    this.typing = el("div", { class: "acu-typing", hidden: "", "aria-label": "The assistant is typing", role: "img" }, [
      el("span"), el("span"), el("span"),
    ]);
    this.input = el("input", { class: "acu-input", id: "acu-input", type: "text", autocomplete: "off", maxlength: "1000", placeholder: "Type a message\u2026" });
    this.sendButton = el("button", { class: "acu-send", type: "submit", text: "Send" });
    this.mapButton = el("button", { class: "acu-map-button", type: "button", "aria-expanded": "false", text: "Show me where it hurts" });
    this.form = el("form", { class: "acu-form" }, [
      el("label", { class: "acu-visually-hidden", for: "acu-input", text: "Your message" }),
      this.input,
      this.sendButton,
    ]);
    this.mapPanel = this.buildMap();
    this.panel = el("section", { class: "acu-panel", id: "acu-panel", role: "dialog", "aria-labelledby": "acu-title", hidden: "" }, [
      header, this.log, this.typing, this.mapPanel, el("div", { class: "acu-tools" }, [this.mapButton]), this.form,
    ]);
    root.appendChild(this.panel);
    root.appendChild(this.launcher);
    document.body.appendChild(root);

    var self = this;
    this.launcher.addEventListener("click", function () { self.panel.hidden ? self.open(true) : self.close(); });
    this.closeButton.addEventListener("click", function () { self.close(); });
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = self.input.value.trim();
      if (!text) return;
      self.input.value = "";
      self.send(text, text);
    });
    this.mapButton.addEventListener("click", function () { self.mapPanel.hidden ? self.openMap() : self.closeMap(true); });
    this.panel.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      if (!self.mapPanel.hidden) self.closeMap(true);
      else self.close();
    });
  };

  Widget.prototype.open = function (focus) {
    this.panel.hidden = false;
    this.launcher.setAttribute("aria-expanded", "true");
    this.root.classList.add("acu-open");
    this.log.scrollTop = this.log.scrollHeight;
    if (focus) this.input.focus();
  };

  Widget.prototype.close = function () {
    this.closeMap(false);
    this.panel.hidden = true;
    this.launcher.setAttribute("aria-expanded", "false");
    this.root.classList.remove("acu-open");
    this.launcher.focus();
  };

  // ---- the body map -------------------------------------------------------------------
  var SVG = "http://www.w3.org/2000/svg";

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    return node;
  }

  function shapeNode(shape) {
    if (shape.ellipse) {
      var e = shape.ellipse;
      return svg("ellipse", { cx: e[0], cy: e[1], rx: e[2], ry: e[3] });
    }
    var r = shape.rect;
    return svg("rect", { x: r[0], y: r[1], width: r[2], height: r[3], rx: 5 });
  }

  function silhouette(view) {
    var group = svg("g", { class: "acu-body", "aria-hidden": "true" });
    [
      ["ellipse", { cx: 100, cy: 36, rx: 23, ry: 26 }],
      ["rect", { x: 88, y: 56, width: 24, height: 22, rx: 6 }],
      ["rect", { x: 58, y: 72, width: 84, height: 118, rx: 22 }],
      ["rect", { x: 36, y: 78, width: 22, height: 128, rx: 11 }],
      ["rect", { x: 142, y: 78, width: 22, height: 128, rx: 11 }],
      ["ellipse", { cx: 46, cy: 212, rx: 10, ry: 15 }],
      ["ellipse", { cx: 154, cy: 212, rx: 10, ry: 15 }],
      ["rect", { x: 62, y: 172, width: 76, height: 52, rx: 18 }],
      ["rect", { x: 66, y: 210, width: 32, height: 186, rx: 14 }],
      ["rect", { x: 102, y: 210, width: 32, height: 186, rx: 14 }],
      ["ellipse", { cx: 82, cy: 400, rx: 16, ry: 9 }],
      ["ellipse", { cx: 118, cy: 400, rx: 16, ry: 9 }],
    ].forEach(function (part) { group.appendChild(svg(part[0], part[1])); });
    // The person's right is on the viewer's left from the front, on the viewer's right from behind.
    [[14, view === "front" ? "R" : "L"], [186, view === "front" ? "L" : "R"]].forEach(function (mark) {
      var text = svg("text", { x: mark[0], y: 70, class: "acu-side", "text-anchor": "middle" });
      text.textContent = mark[1];
      group.appendChild(text);
    });
    return group;
  }

  Widget.prototype.buildMap = function () {
    var self = this;
    var map = this.bodyMap;
    var panel = el("div", { class: "acu-map", hidden: "", role: "group", "aria-labelledby": "acu-map-title" });
    var hint = el("p", { class: "acu-map-hint", "aria-hidden": "true", text: "\u00A0" });
    var cancel = el("button", { class: "acu-map-cancel", type: "button", text: "Back to the chat" });
    cancel.addEventListener("click", function () { self.closeMap(true); });
    panel.appendChild(el("p", { class: "acu-map-title", id: "acu-map-title", text: "Where does it hurt? Tap an area, or use Tab and Enter." }));
    var stage = el("div", { class: "acu-map-stage" });
    panel.appendChild(stage);
    panel.appendChild(hint);
    panel.appendChild(el("p", { class: "acu-map-legend", text: "Dashed areas: no points in this guide." }));
    panel.appendChild(cancel);
    (map ? map.views : []).forEach(function (view) {
      var name = view === "front" ? "Front" : "Back";
      var figure = svg("svg", { viewBox: "0 0 200 420", preserveAspectRatio: "xMidYMin meet", class: "acu-map-figure", role: "group", "aria-label": name + " of the body" });
      figure.appendChild(silhouette(view));
      map.areas.forEach(function (area) {
        var shape = area.shapes[view];
        if (!shape) return;
        var label = area.label.charAt(0).toUpperCase() + area.label.slice(1);
        var spoken = area.covered ? label : label + " (no points in this guide)";
        var node = svg("g", { class: "acu-area" + (area.covered ? "" : " acu-area-uncovered"), role: "button", tabindex: "0", "aria-label": spoken, "data-area": area.id });
        node.appendChild(shapeNode(shape));
        var choose = function () { self.chooseArea(area); };
        node.addEventListener("click", choose);
        node.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") { event.preventDefault(); choose(); }
        });
        var show = function () { hint.textContent = spoken; };
        node.addEventListener("focus", show);
        node.addEventListener("mouseenter", show);
        figure.appendChild(node);
      });
      stage.appendChild(el("figure", { class: "acu-map-view" }, [el("figcaption", { text: name }), figure]));
    });
    return panel;
  };

  Widget.prototype.openMap = function () {
    this.mapPanel.hidden = false;
    this.mapButton.setAttribute("aria-expanded", "true");
    this.mapButton.textContent = "Hide the body map";
    this.root.classList.add("acu-mapping");
    var first = this.mapPanel.querySelector(".acu-area");
    if (first) first.focus();
  };

  Widget.prototype.closeMap = function (focus) {
    if (this.mapPanel.hidden) return;
    this.mapPanel.hidden = true;
    this.root.classList.remove("acu-mapping");
    this.mapButton.setAttribute("aria-expanded", "false");
    this.mapButton.textContent = "Show me where it hurts";
    if (focus) this.mapButton.focus();
  };

  Widget.prototype.chooseArea = function (area) {
    this.closeMap(false);
    this.send(area.message, area.message);
    if (!area.covered) this.add({ from: "note", text: this.bodyMap.uncovered_note.replace("{label}", area.label) });
    this.input.focus();
  };

  // ---- messages ------------------------------------------------------------------------
  Widget.prototype.add = function (message) {
    message.t = performance.now();
    this.history.push(message);
    this.save();
    this.render(message);
    this.refreshButtons();
  };

  Widget.prototype.render = function (message) {
    var item;
    if (message.kind === "image") {
      var src = safeUrl(message.src);
      if (!src) return;
      item = el("figure", { class: "acu-msg acu-bot acu-image" }, [el("img", { src: src, alt: message.alt || "Diagram" })]);
      if (message.caption) item.appendChild(el("figcaption", { text: message.caption }));
    } else {
      var who = message.from === "user" ? "acu-user" : message.from === "note" ? "acu-note" : "acu-bot";
      item = el("div", { class: "acu-msg " + who });
      item.appendChild(el("span", { class: "acu-visually-hidden", text: message.from === "user" ? "You: " : message.from === "note" ? "Note: " : "Assistant: " }));
      item.appendChild(richText(message.text || ""));
      if (message.pending) item.classList.add("acu-pending");
    }
    item.setAttribute("data-t", String(message.t || 0));
    message.node = item;
    this.log.appendChild(item);
    this.log.scrollTop = this.log.scrollHeight;
  };

  // Quick replies belong to the last bot message only, while nothing was said after it.
  Widget.prototype.refreshButtons = function () {
    var old = this.log.querySelector(".acu-replies");
    if (old) old.parentNode.removeChild(old);
    var last = this.history[this.history.length - 1];
    if (!last || !last.buttons || !last.buttons.length) return;
    var self = this;
    var group = el("div", { class: "acu-replies", role: "group", "aria-label": "Suggested replies" });
    last.buttons.forEach(function (button) {
      var node = el("button", { type: "button", class: "acu-reply", text: button.title });
      node.addEventListener("click", function () { self.send(button.payload || button.title, button.title); self.input.focus(); });
      group.appendChild(node);
    });
    this.log.appendChild(group);
    this.log.scrollTop = this.log.scrollHeight;
  };

  Widget.prototype.send = function (payload, shown) {
    var message = { from: "user", text: shown, payload: payload, id: newSessionId().slice(0, 12), pending: true };
    this.add(message);
    this.outbox.push({ id: message.id, payload: payload });
    this.save();
    this.flush();
  };

  // Each message is emitted once, only on a socket whose session is confirmed: socket.io's own
  // buffer would send it on reconnect before session_request, and its reply would go nowhere.
  Widget.prototype.flush = function () {
    while (this.ready && this.socket.connected && this.outbox.length) {
      var next = this.outbox.shift();
      this.socket.emit("user_uttered", { message: next.payload, session_id: this.sessionId });
      this.history.forEach(function (m) {
        if (m.id === next.id) {
          m.pending = false;
          if (m.node) m.node.classList.remove("acu-pending");
        }
      });
      this.save();
      this.showTyping(true);
    }
  };

  Widget.prototype.showTyping = function (on) {
    var self = this;
    clearTimeout(this.typingTimer);
    this.typing.hidden = !on;
    if (on) this.typingTimer = setTimeout(function () { self.typing.hidden = true; }, 30000);
  };

  Widget.prototype.onBot = function (data) {
    if (!data || typeof data !== "object") return;
    this.showTyping(false);
    // A point diagram: {attachment: {type: "image", payload: {src, alt, code}}, custom: {type: "diagram", ...}}.
    var custom = data.custom && typeof data.custom === "object" ? data.custom : {};
    var image = data.attachment && data.attachment.type === "image" ? data.attachment.payload || {} : null;
    if (!image && custom.type === "diagram") image = custom;
    if (image && image.src) {
      var code = image.code || custom.code;
      this.add({ from: "bot", kind: "image", src: image.src, alt: image.alt || custom.alt || "Diagram of an acupressure point", caption: code ? "Where " + code + " is" : "" });
      return;
    }
    if (typeof data.text === "string" && data.text) {
      var buttons = (data.quick_replies || data.buttons || []).map(function (b) { return { title: String(b.title), payload: String(b.payload || b.title) }; });
      this.add({ from: "bot", text: data.text, buttons: buttons });
    }
  };

  Widget.prototype.setStatus = function (state) {
    var words = { online: "Online", connecting: "Connecting\u2026", reconnecting: "Reconnecting\u2026 your messages will be sent when the connection is back" };
    this.status.textContent = words[state];
    this.root.setAttribute("data-connection", state);
  };

  Widget.prototype.connect = function () {
    var self = this;
    var socket = (this.socket = window.io(this.config.serverUrl, {
      path: "/socket.io",
      transports: ["websocket"],
      reconnectionDelay: 500, // back-off: 0.5 s doubling to 8 s, with jitter
      reconnectionDelayMax: 8000,
      randomizationFactor: 0.5,
    }));
    this.setStatus("connecting");
    socket.on("connect", function () { socket.emit("session_request", { session_id: self.sessionId }); });
    socket.on("session_confirm", function () {
      if (!performance.getEntriesByName("acu-widget-online").length) performance.mark("acu-widget-online"); // the bench reads it
      self.ready = true;
      self.setStatus("online");
      self.flush();
    });
    socket.on("disconnect", function () {
      self.ready = false;
      self.showTyping(false);
      self.setStatus("reconnecting");
    });
    socket.on("connect_error", function () {
      self.ready = false;
      self.setStatus(self.history.length ? "reconnecting" : "connecting");
    });
    socket.on("bot_uttered", function (data) { self.onBot(data); });
  };

  function start() {
    var css = el("link", { rel: "stylesheet", href: base + "widget.css" });
    document.head.appendChild(css);
    Promise.all([
      getJson("config.json").catch(function () { return {}; }),
      getJson("bodymap.json").catch(function () { return null; }),
      window.io ? Promise.resolve() : loadScript(base + "vendor/socket.io.min.js"),
    ]).then(function (loaded) {
      var config = readConfig(loaded[0]);
      window.acupressureWidget = Object.assign(window.acupressureWidget || {}, { instance: new Widget(config, loaded[1]) });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

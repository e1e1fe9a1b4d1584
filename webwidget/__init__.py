"""The web widget: a small aiohttp server for the chat widget, its body map and the diagrams.

`python -m webwidget` serves the widget's files (static/), the socket.io client from
node_modules (installed by `npm ci`, never a CDN), /config.json, /bodymap.json and
build/diagrams/ at /diagrams/, every response with a Content-Security-Policy.
"""

# One entry point for people and CI. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
SPACY_MODEL := build/spacy_en_lookup
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export RASA_TELEMETRY_ENABLED := false
export PYTHONDONTWRITEBYTECODE := 1

# Everything the trained model depends on; `make train` is a no-op when none changed.
TRAINING_INPUTS := config.yml domain.yml $(shell find data -name '*.yml' 2>/dev/null)
MODEL_STAMP := models/.trained
# The red-flag classifier (actions/core/triage_model.py), trained from triage_corpus/ in seconds;
# the Rasa server's RedFlagDetector loads it, so `rasa train` needs it first.
TRIAGE_MODEL := models/triage_classifier.pkl
# It also learns from the NLU files listed in triage_corpus/nlu_negative_files.txt as easy
# negatives: a change to one of those retrains it; a new NLU file does not until it is listed.
TRIAGE_NLU := $(addprefix data/nlu/,$(shell grep -v '^\#' triage_corpus/nlu_negative_files.txt))
TRIAGE_INPUTS := $(wildcard triage_corpus/*.yml) triage_corpus/nlu_negative_files.txt $(TRIAGE_NLU) \
	scripts/train_triage_classifier.py \
	actions/core/triage_model.py actions/catalogue/red_flags.yml

.PHONY: help install diagrams vocab train run shell test lint unit triage-test validate nlu-test core-test e2e bench bench-quick clean audit

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	@PY=$$(scripts/find_python310.sh) && echo "Using $$PY" && "$$PY" -m venv $(VENV)

$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade "pip==24.3.1"
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock
	$(BIN)/python -m pip check
	touch $@

$(SPACY_MODEL)/meta.json: scripts/build_spacy_pipeline.py $(VENV)/.installed
	$(BIN)/python scripts/build_spacy_pipeline.py $(SPACY_MODEL)

# One SVG and PNG per catalogue point (served at /diagrams/); redrawn when the catalogue,
# the placement data or the drawing code changes.
DIAGRAM_STAMP := build/diagrams/.built
DIAGRAM_INPUTS := actions/catalogue/points.yml actions/catalogue/diagrams.yml scripts/build_diagrams.py \
	actions/core/diagrams.py
$(DIAGRAM_STAMP): $(DIAGRAM_INPUTS) $(VENV)/.installed
	$(BIN)/python scripts/build_diagrams.py
	touch $@

diagrams: $(DIAGRAM_STAMP) ## Draw the point diagrams into build/diagrams (part of install)

# The widget's browser files (socket.io-client, axe-core for the browser tests) from npm,
# exactly as package-lock.json pins them; the widget server serves them, no CDN.
WIDGET_NPM := webwidget/node_modules/.package-lock.json
$(WIDGET_NPM): webwidget/package.json webwidget/package-lock.json
	cd webwidget && npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed $(SPACY_MODEL)/meta.json $(DIAGRAM_STAMP) $(WIDGET_NPM) ## Create .venv (Python 3.10), install the lock, build the spaCy pipeline and the point diagrams, npm ci for the widget

vocab: $(VENV)/.installed ## Regenerate data/nlu synonyms and lookups from actions/catalogue
	$(BIN)/python scripts/generate_nlu_vocabulary.py

$(TRIAGE_MODEL): $(TRIAGE_INPUTS) $(VENV)/.installed
	$(BIN)/python scripts/train_triage_classifier.py

# Order-only: the Rasa server loads the classifier from models/ at start-up, so a new
# classifier needs no Rasa retraining, but `rasa train` builds the detector and needs the file.
$(MODEL_STAMP): $(TRAINING_INPUTS) $(VENV)/.installed $(SPACY_MODEL)/meta.json | $(TRIAGE_MODEL)
	$(BIN)/python scripts/generate_nlu_vocabulary.py --check
	$(BIN)/rasa train --fixed-model-name acupressure --out models
	touch $@

train: install $(TRIAGE_MODEL) $(MODEL_STAMP) ## Train the red-flag classifier and the Rasa model (only what changed)

run: train ## Serve actions (5055), Rasa with REST and socket.io (5005) and the chat widget page (8080), restarting any that dies
	scripts/serve.sh

shell: train ## Chat with the assistant in this terminal
	scripts/serve.sh shell

# The production profile on loopback (README "Cluster"): PostgreSQL, Redis, 2 action servers,
# 2 Rasa servers, nginx; data and logs in var/cluster/. Returns once all answer.
.PHONY: run-cluster stop-cluster
run-cluster: train ## PostgreSQL, Redis, 2 action + 2 Rasa servers and nginx on loopback (chat on 5080), in the background
	$(BIN)/python scripts/cluster.py start

stop-cluster: ## Stop everything run-cluster started
	$(BIN)/python scripts/cluster.py stop

lint: install ## ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

unit: install $(TRIAGE_MODEL) ## pytest for the logic and the actions (no servers)
	$(BIN)/python -m pytest -q -m "not e2e" tests

# Every triage case set against the safety issue's floors; the blind set prints aggregates only.
triage-test: install $(TRIAGE_MODEL) ## Red-flag recall and false alarms on the development, held-out and blind sets
	$(BIN)/python scripts/triage_report.py --check

validate: install ## rasa data validate --fail-on-warnings, and the generated NLU files are current
	$(BIN)/python scripts/generate_nlu_vocabulary.py --check
	$(BIN)/rasa data validate --fail-on-warnings

nlu-blind: train ## Understanding on the blind NLU set: intent/entity F1 and symptom cases over REST (aggregates)
	$(BIN)/python scripts/nlu_blind_report.py nlu rest --check

nlu-test: train ## rasa test nlu on the held-out split
	$(BIN)/rasa test nlu --model models --nlu tests/nlu/test_nlu.yml --out results/nlu --no-plot
	$(BIN)/python scripts/check_nlu_report.py results/nlu

core-test: train ## rasa test core on the conversation tests
	$(BIN)/rasa test core --model models --stories tests/stories --out results/core --fail-on-prediction-errors --no-plot

e2e: train ## Start both servers and chat with them over REST
	$(BIN)/python -m pytest -q -m e2e tests

# The quick bench checks that every bench phase still runs (not the figures); it skips the
# py-spy profile, which needs ptrace rights a CI machine may not give.
bench-quick: train ## Smoke run of the bench (tiny counts, ~5 min): bench/work/quick-results.md
	$(BIN)/python bench/run_bench.py --quick --no-profile

# pip-audit in a venv of its own (it needs packaging>=23, Rasa 3.6 packaging<21), over every pin
# of requirements.lock; accepted findings: security/pip-audit-accepted.md.
TOOLS_VENV := .venv-tools
$(TOOLS_VENV)/.installed: security/tools.lock
	@PY=$$(scripts/find_python310.sh) && "$$PY" -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/python -m pip install --quiet --upgrade "pip==24.3.1"
	$(TOOLS_VENV)/bin/python -m pip install --quiet --no-deps -r security/tools.lock
	$(TOOLS_VENV)/bin/python -m pip check
	touch $@

audit: $(TOOLS_VENV)/.installed ## pip-audit over requirements.lock; fails on a finding not explained in security/
	@mkdir -p results
	$(TOOLS_VENV)/bin/pip-audit -r requirements.lock --no-deps --disable-pip --progress-spinner off \
		-f json -o results/pip-audit.json 2>results/pip-audit.log || true
	$(BIN)/python scripts/check_audit.py results/pip-audit.json security/pip-audit-ignore.txt \
		security/pip-audit-accepted.md

test: lint unit triage-test validate audit train nlu-test nlu-blind core-test e2e bench-quick ## Everything CI runs

bench: train ## Measure everything against the rasa init config and bot (~35 min): bench/results.md
	$(BIN)/python bench/run_bench.py

.PHONY: purge
purge: install ## Remove stored conversations older than RETENTION_DAYS now (the Rasa server also does it itself)
	$(BIN)/python scripts/purge_conversations.py

clean: ## Remove trained models and test output (keeps .venv)
	rm -rf models results var build

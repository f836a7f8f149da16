# nerfaug: `make study` sets up .venv and runs the whole study on the built-in procedural scene;
# `make test` sets up .venv and runs every notebook's tests (nbdev_test).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# torch 2.14.1 + torchvision 0.29.1 install from local disk on the reference machines (x86_64, Python 3.11).
# With a GPU elsewhere: make setup TORCH_PKGS="torch torchvision"
TORCH_PKGS ?= torch==2.14.1 torchvision==0.29.1
STAMP := $(VENV)/.nerfaug-installed
PARAMS ?= params/demo.yaml

.PHONY: setup study test test-slow bench export
setup: $(STAMP)

$(STAMP): settings.ini setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q $(TORCH_PKGS)
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

study: setup
	$(BIN)/nerfaug run $(PARAMS)

test: setup
	$(BIN)/nbdev_test --timing --n_workers 1  # one notebook at a time: torch in two at once on 2 cores is 3x slower

test-slow: setup
	$(BIN)/nbdev_test --timing --n_workers 1 --flags slow

bench: setup
	$(BIN)/nerfaug bench nerf

# after editing notebooks: regenerate the package and strip outputs before committing
export: setup
	$(BIN)/nbdev_export && $(BIN)/nbdev_clean

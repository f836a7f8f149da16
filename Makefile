# nerfaug: `make study` sets up .venv and runs the whole study on the built-in procedural scene;
# `make test` sets up .venv and runs every notebook's tests (pytest, one test per notebook, through nbdev's runner).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# torch 2.14.1 + torchvision 0.29.1 install from local disk on the reference machines (x86_64, Python 3.11).
# With a GPU elsewhere: make setup TORCH_PKGS="torch torchvision"
TORCH_PKGS ?= torch==2.14.1 torchvision==0.29.1
STAMP := $(VENV)/.nerfaug-installed
PARAMS ?= params/demo.yaml

.PHONY: setup study test test-slow bench export hooks browser frontend vitest
setup: $(STAMP) frontend

$(STAMP): settings.ini setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q $(TORCH_PKGS)
	$(BIN)/python -m pip install -q -e ".[dev]"
	@# the C++ kernels (hash grid, occupancy grid), compiled side by side now rather than one after the other later
	$(BIN)/python -c "from concurrent.futures import ThreadPoolExecutor as P; from nerfaug.hashgrid import cpp_extension as c; \
	  print('C++ kernels:', [n for n, e in zip(('hashgrid', 'occupancy'), P(2).map(c, ('hashgrid', 'occupancy'))) if e])"
	@$(MAKE) --no-print-directory browser
	@$(BIN)/python -c "from nerfaug.core import jemalloc_path as j; print('NeRF allocator:', \
	  f'jemalloc ({j()}, preloaded by nerfaug run/bench)' if j() else \
	  'glibc (libjemalloc2 is optional: no difference to NeRF training in the A/B run in the README)')"
	touch $@

# the React frontend (frontend/, served by `nerfaug app` at /): npm install (the versions of package-lock.json,
# which it leaves unchanged; `npm ci` refuses this lock where the registry omits other platforms' optional
# packages) + vite build, when node/npm are present
FRONTEND_SRC := $(wildcard frontend/src/*) frontend/package.json frontend/package-lock.json frontend/index.html \
                frontend/vite.config.ts frontend/tsconfig.json
frontend: frontend/dist/index.html
frontend/dist/index.html: $(FRONTEND_SRC)
	@if command -v npm >/dev/null 2>&1; then \
	  cd frontend && npm install --no-save --no-audit --no-fund --loglevel=error && npm run build --silent; \
	else echo "note: npm not found; the React frontend is not built (the app's / says so; /ui and /docs work)"; fi

# Debian's chromium + chromedriver for the browser tests (apt, as root); elsewhere those tests report SKIPPED
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian chromium + chromium-driver for the browser tests"; \
	  apt-get install -y -q chromium chromium-driver >/dev/null 2>&1 || \
	  { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium chromium-driver >/dev/null 2>&1; } || \
	  echo "note: chromium could not be installed; the browser tests will report SKIPPED"; \
	else echo "note: 'sudo apt-get install chromium chromium-driver' enables the browser tests"; fi

study: setup
	$(BIN)/nerfaug run $(PARAMS)

# one notebook at a time (torch in two processes at once on 2 cores is 3x slower); same as nbdev_test --n_workers 1
test: setup vitest
	$(BIN)/python -m pytest --durations=0

# the frontend's unit tests (Vitest), when npm is present
vitest: frontend
	@if command -v npm >/dev/null 2>&1; then cd frontend && npm test --silent; else echo "note: npm not found; Vitest skipped"; fi

test-slow: setup
	$(BIN)/python -m pytest --durations=0 --flags slow

bench: setup
	$(BIN)/nerfaug bench nerf
	$(BIN)/nerfaug bench app

# after editing notebooks: regenerate the package and strip outputs and metadata before committing
export: setup
	$(BIN)/nbdev_export && $(BIN)/nbdev_clean

# once per clone: Jupyter cleans notebooks on save (settings.ini: jupyter_hooks, clear_all), git merges them with nbdev
hooks: setup
	$(BIN)/nbdev_install_hooks

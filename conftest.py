"""pytest runs the notebook tests with nbdev's own runner: one test per notebook in nbs/, flags as nbdev_test.

    pytest                      # every notebook (cells flagged `#| slow` skipped, as in nbdev_test)
    pytest -k scene             # the notebooks whose name contains "scene"
    pytest --flags slow         # also the cells flagged `#| slow` (as nbdev_test --flags slow)
"""
from pathlib import Path

import pytest


def pytest_addoption(parser):
    parser.addoption("--flags", default="", help="space-separated nbdev test flags to run (e.g. slow)")


def pytest_collect_file(parent, file_path):
    if file_path.suffix == ".ipynb" and file_path.parent.name == "nbs" and not file_path.name.startswith("_"):
        return NotebookFile.from_parent(parent, path=file_path)


class NotebookFile(pytest.File):
    def collect(self):
        yield NotebookTest.from_parent(self, name=self.path.stem)


class NotebookFailed(Exception):
    "A notebook test failed; nbdev printed the failing cell and traceback to stderr."


class NotebookTest(pytest.Item):
    def runtest(self):
        from nbdev.config import get_config
        from nbdev.test import test_nb
        cfg = get_config()
        ok, _ = test_nb(self.path, skip_flags=cfg.tst_flags.split(), force_flags=self.config.getoption("--flags").split(),
                        basepath=cfg.config_path)
        if not ok: raise NotebookFailed(f"{self.path.name}: a cell failed (the traceback is in the captured stderr)")

    def repr_failure(self, excinfo):
        return str(excinfo.value) if isinstance(excinfo.value, NotebookFailed) else super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, 0, f"notebook {self.path.name}"

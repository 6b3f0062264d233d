"""One brief run in a build worker process: papermill in a fresh kernel, then the HTML.

A worker imports this module, gcmtools.build (whose steps are imported only when called) and
forkkernel, never pandas: what a worker imports before its first brief is time every build
waits for.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from pathlib import Path

KERNEL_NAME = "gcm-workbook"


def start_worker(log_file: str, cwd: str, build_pid: int = 0) -> None:
    """Prepare a build worker: killed when the build process `build_pid` ends, however it ends
    (kill -9 included: the kernel's PR_SET_PDEATHSIG, as for zygotes and kernels, so that no
    worker lives on writing into a dead build's folder), SIGINT ignored (the build stops its
    workers), stderr (and so the kernels' start-up chatter) to the build's log file, and the zygote that forks its
    kernels started (gcmtools.build.forkkernel): it imports what a kernel needs while this worker
    imports papermill."""
    # jsonschema, imported by nbformat and so by papermill, imports rfc3987_syntax when it is
    # installed (jupyterlab brings it), which builds some thirty Lark parsers for the "iri"
    # format: 0.8 s of the worker's 1.2 s start here. No notebook schema uses that format, so
    # the worker does without it (python-jsonschema/jsonschema#1428).
    sys.modules.setdefault("rfc3987_syntax", None)
    from gcmtools.build import forkkernel

    owned_by(build_pid)
    fd = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 2)
    os.close(fd)
    forkkernel.start_zygote(KERNEL_NAME, cwd, log=sys.stderr)


def owned_by(build_pid: int) -> None:
    """Make this process the build's: killed by the kernel when the build process `build_pid`
    ends, however it ends (PR_SET_PDEATHSIG; nothing when 0), and deaf to SIGINT. Ctrl-C at a
    terminal reaches the whole process group, and stopping is the build's job (it kills its
    workers, their zygotes and kernels and the warm step's processes, then removes the work
    folder): a process that caught the interrupt itself would go on writing into that folder."""
    from gcmtools.build import forkkernel

    if build_pid:
        forkkernel.die_with(build_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_brief(job: dict) -> dict:
    """Execute one notebook with papermill and render it; return paths of the unpublished files."""
    import papermill

    from gcmtools.build.forkkernel import ForkingKernelManager

    start = time.perf_counter()
    work = Path(job["work_dir"])
    out_nb = work / f"{job['id']}.ipynb"
    try:
        for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
            try:  # paths relative to the project root: papermill records them as given
                with contextlib.chdir(job["cwd"]):
                    papermill.execute_notebook(
                        os.path.relpath(job["notebook"]), os.path.relpath(out_nb),
                        parameters=job["parameters"],
                        kernel_name=KERNEL_NAME, cwd=job["cwd"], progress_bar=False, log_output=False,
                        request_save_on_cell_execute=False, execution_timeout=job["timeout"],
                        shutdown_kernel="immediate", kernel_manager_class=ForkingKernelManager,
                    )
                break
            except Exception as exc:
                if attempt == KERNEL_START_ATTEMPTS or not _kernel_did_not_start(exc):
                    raise
                time.sleep(0.5 * attempt)  # kernels started at the same moment can race for ports
        from gcmtools.build.render import render_file

        (work / f"{job['id']}.html").write_text(render_file(out_nb, job["title"], job.get("status")), encoding="utf-8")
        return {"id": job["id"], "ok": True, "seconds": time.perf_counter() - start,
                "kernel_restarts": attempt - 1}
    except Exception as exc:  # any failure of a brief is reported, never fatal to the others
        return {"id": job["id"], "ok": False, "seconds": time.perf_counter() - start,
                "error": _describe_failure(exc, Path(job["notebook"]))}


KERNEL_START_ATTEMPTS = 3
_START_FAILURES = ("before replying to kernel_info", "Address already in use", "Kernel didn't respond")


def _kernel_did_not_start(exc: BaseException) -> bool:
    """A kernel that died or never answered while starting: no cell ran, so a retry is safe.

    Seen here: two kernels launched at the same moment pick the same TCP port and one dies
    ("Kernel died before replying to kernel_info"). A kernel that dies while running a cell
    is not retried: that is the brief's failure.
    """
    text = f"{type(exc).__name__}: {exc}"
    return any(s in text for s in _START_FAILURES)


def _describe_failure(exc: BaseException, source: Path) -> str:
    """One line: the cell and the error (papermill), or the kind of failure (timeout, dead kernel).

    Cells are numbered as in the notebook in notebooks/ (papermill's injected cell not counted).
    """
    name = type(exc).__name__
    if hasattr(exc, "cell_index") and hasattr(exc, "ename"):
        index = exc.cell_index
        try:
            import nbformat

            cells = nbformat.read(source, as_version=4).cells
            tagged = [i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", [])]
            if tagged and exc.cell_index > tagged[0]:
                index -= 1  # papermill inserts its cell right after the parameters cell
        except Exception:  # an unreadable source: keep papermill's numbering
            pass
        return f"cell {index + 1}: {exc.ename}: {exc.evalue}"
    if name == "CellTimeoutError":
        return f"a cell ran past the execution timeout: {str(exc).splitlines()[0]}"
    if name == "DeadKernelError":
        return "the kernel died during execution"
    text = str(exc).strip().splitlines()
    return f"{name}: {text[0] if text else ''}"

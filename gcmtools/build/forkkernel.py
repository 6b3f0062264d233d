"""Fresh kernels without paying their imports again: a zygote process that forks them.

A brief runs in a fresh kernel, so that nothing one brief does can reach another. Most of a
kernel's start is Python importing the same modules every time (ipykernel and IPython, then
pandas and matplotlib, then gcmtools): about 0.8 s of the 1.0 s floor measured by
`make bench`. The zygote imports them once, before any kernel exists, and never runs a
notebook's code; for each brief it forks a child, which becomes that brief's kernel. The child
starts from the zygote's state (modules imported, nothing executed), so each brief still gets a
kernel nobody has used, as with a spawned one.

Used only by `gcmtools build`, on platforms that fork safely (Linux), and only for the
kernelspec's usual `python -m ipykernel_launcher -f {connection_file}` command; anything else,
or `GCM_FORK_KERNELS=0`, or a zygote that fails, falls back to jupyter_client's own launch.
Analysts' JupyterLab kernels and nbval are not touched.

The zygote is single-threaded and never touches ZeroMQ before forking (forking a process that
runs threads can copy a held lock into the child). It ignores SIGCHLD so the kernel reaps its
dead children; the children restore the default.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import Type

#: what the zygote imports before forking: a kernel's own start, and what briefs import first
PRELOAD = ("ipykernel.kernelapp", "IPython", "pandas", "matplotlib", "matplotlib.pyplot",
           "gcmtools.brief")
#: the module a kernelspec's command runs, which the zygote stands in for
LAUNCHER = "ipykernel_launcher"


def enabled() -> bool:
    """Forked kernels are used on Linux unless GCM_FORK_KERNELS=0."""
    return sys.platform.startswith("linux") and os.environ.get("GCM_FORK_KERNELS", "1") != "0"


# --- the zygote (its own process: python -m gcmtools.build.forkkernel) ----------------------------


#: the worker's pid, given to the zygote it starts (and removed before any kernel is forked)
PARENT_ENV = "GCM_ZYGOTE_PARENT"


def zygote_main() -> None:
    """Import PRELOAD, then fork one kernel per request line read on stdin.

    A request is a JSON line {"argv": [...], "cwd": "...", "env": {...}}; the answer is a JSON
    line {"pid": N} or {"error": "..."}. End of input ends the zygote (its kernels live on
    until their managers stop them).
    """
    # killed with the worker that started it, even in the middle of its imports (a build that
    # is interrupted kills its workers; a zygote left importing would outlive the build)
    parent = os.environ.pop(PARENT_ENV, "")
    if parent:
        die_with(int(parent))
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)  # a kernel's stray prints go where the zygote's errors go, not into answers
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # as ipykernel_launcher does; IPython puts the kernel's cwd back
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    for name in PRELOAD:
        try:
            __import__(name)
        except Exception as exc:  # the kernel will import (and fail) by itself; the log says why
            print(f"gcmtools.build.forkkernel: could not preload {name}: {exc}", file=sys.stderr)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    # Ctrl-C reaches the whole process group: the build stops the kernels, the zygote ends
    # when its worker does (end of input)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import gc

    gc.freeze()  # what was imported stays shared with the kernels instead of copied on write
    answers.write(json.dumps({"ready": True}) + "\n")
    answers.flush()
    zygote = os.getpid()
    for line in requests:
        try:
            request = json.loads(line)
            if threading.active_count() != 1:
                raise RuntimeError("an import started a thread; forking now is unsafe")
            pid = os.fork()
        except Exception as exc:
            answers.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"}) + "\n")
            answers.flush()
            continue
        if pid == 0:
            requests.close()
            answers.close()
            _become_kernel(request, zygote)  # never returns
        answers.write(json.dumps({"pid": pid}) + "\n")
        answers.flush()


def _become_kernel(request: dict, zygote: int) -> None:
    code = 1
    try:
        die_with(zygote)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.setsid()  # its own process group, as jupyter_client launches kernels
        os.chdir(request.get("cwd") or os.getcwd())
        env = request.get("env")
        if env:
            os.environ.clear()
            os.environ.update(env)
        if "numpy" in sys.modules:  # a forked child would otherwise share the zygote's draws
            sys.modules["numpy"].random.seed()
        import importlib.util

        argv = request["argv"]
        sys.argv = [importlib.util.find_spec(LAUNCHER).origin, *argv]  # as `python -m` sets it
        from ipykernel import kernelapp

        # parent_handle's default was read from the environment when the zygote imported
        # ipykernel: given here, it is the zygote (the kernel ends if the zygote does)
        kernelapp.IPKernelApp.launch_instance(argv=argv, parent_handle=zygote)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


def die_with(parent: int) -> None:
    """Have this process killed when its parent ends (Linux PR_SET_PDEATHSIG), and end now if it
    already has: a kernel whose zygote, or a zygote whose worker, was killed must not live on
    unowned.
    ipykernel's own parent poller stays as a second watch (it looks once a second)."""
    import ctypes

    pr_set_pdeathsig = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


# --- the side that asks (a build worker) ----------------------------------------------------


class Zygote:
    """A running zygote process and the pipe to it.

    A zygote that exits, answers garbage or does not answer in time (READY_TIMEOUT for its
    imports, which build matplotlib's font cache on a first run; ANSWER_TIMEOUT for a fork) is
    stopped and marked broken: fork() then raises at once, and kernels are launched as usual.
    """

    READY_TIMEOUT = 120.0
    ANSWER_TIMEOUT = 10.0

    def __init__(self, interpreter: list[str], cwd: str, env: dict | None = None, log=None):
        self.interpreter = interpreter
        self.cwd = cwd
        self._lock = threading.Lock()
        self._pending = b""
        self.process = subprocess.Popen(
            [*interpreter, "-m", "gcmtools.build.forkkernel"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=log, bufsize=0, cwd=cwd,
            env={**os.environ, **(env or {}), PARENT_ENV: str(os.getpid())})
        self.ready = False
        self.broken = ""

    def _answer(self, timeout: float) -> dict:
        import select

        deadline = time.monotonic() + timeout
        fd = self.process.stdout.fileno()
        while b"\n" not in self._pending:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise RuntimeError(f"the kernel zygote did not answer within {timeout:g} s")
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                raise RuntimeError(f"the kernel zygote exited (code {self.process.poll()})")
            self._pending += chunk
        line, _, self._pending = self._pending.partition(b"\n")
        return json.loads(line)

    def fork(self, argv: list[str], cwd: str | None, env: dict | None) -> int:
        """Ask for a kernel; its pid. RuntimeError if the zygote cannot give one."""
        with self._lock:
            if self.broken:
                raise RuntimeError(self.broken)
            try:
                if not self.ready:
                    self.ready = bool(self._answer(self.READY_TIMEOUT).get("ready"))
                request = json.dumps({"argv": argv, "cwd": cwd, "env": env}) + "\n"
                data = memoryview(request.encode("utf-8"))
                while data:  # an unbuffered pipe may take part of a long request at a time
                    data = data[self.process.stdin.write(data):]
                answer = self._answer(self.ANSWER_TIMEOUT)
            except (OSError, ValueError, RuntimeError) as exc:
                self.broken = str(exc) or type(exc).__name__
                self.process.kill()
                raise RuntimeError(self.broken) from None
        if "error" in answer:
            raise RuntimeError(f"the kernel zygote could not fork: {answer['error']}")
        return int(answer["pid"])

    def close(self) -> None:
        """End the zygote: it exits when it reads the end of its input, which it reads once its
        imports are done.

        A zygote still importing is given the time fork() would give it (READY_TIMEOUT: under
        load the imports alone took more than 5 s on a 2-core machine); one that has answered
        ready exits within ANSWER_TIMEOUT. Only a zygote past those is stuck, and killed."""
        if self.process.poll() is not None:
            return
        with self._lock:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=self.ANSWER_TIMEOUT if self.ready else self.READY_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


_zygote: Zygote | None = None


def interpreter_of(argv: list[str]) -> list[str] | None:
    """The interpreter and its options in a kernelspec command that runs ipykernel_launcher
    with this process's Python; None for any other command (another Python, another kernel)."""
    try:
        m = argv.index("-m")
    except ValueError:
        return None
    if argv[m + 1:m + 2] != [LAUNCHER] or not argv or \
            os.path.realpath(argv[0]) != os.path.realpath(sys.executable) or \
            not all(a.startswith("-") and a != "-c" for a in argv[1:m]):
        return None
    return argv[:m]


def start_zygote(kernel_name: str, cwd: str, log=None) -> bool:
    """Start this process's zygote for `kernel_name`'s kernels running in `cwd`, now: it
    imports while the caller does other work. Kernels started elsewhere are launched as usual
    (matplotlib reads a matplotlibrc in the working directory when imported). False when
    forking is off or the kernelspec is not one it can stand in for."""
    global _zygote
    if _zygote is not None:
        return True
    if not enabled():
        return False
    from jupyter_client.kernelspec import KernelSpecManager

    try:
        spec = KernelSpecManager().get_kernel_spec(kernel_name)
        interpreter = interpreter_of(spec.argv)
        if interpreter is None:
            return False
        _zygote = Zygote(interpreter, str(cwd), spec.env, log)
    except Exception:  # no such kernel, cannot start a process: jupyter_client's launch will say why
        return False
    return True


def stop_zygote() -> None:
    global _zygote
    if _zygote is not None:
        _zygote.close()
        _zygote = None


class ForkedProcess:
    """A forked kernel, looking to jupyter_client like the Popen it would have made.

    The kernel is the zygote's child, not ours: it cannot be waited for, only watched.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
                with open(f"/proc/{self.pid}/stat", "rb") as fh:  # exited, not yet reaped by
                    exited = fh.read().rsplit(b")", 1)[1].split()[0] == b"Z"  # init: gone too
            except (ProcessLookupError, FileNotFoundError):
                exited = True
            except OSError:
                exited = False
            if exited:
                self.returncode = -1  # its exit status went to whoever reaped it, not to us
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("kernel", timeout)
            time.sleep(0.005)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkProvisioner(LocalProvisioner):
    """LocalProvisioner whose kernels are forked by the zygote when it can."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        interpreter = interpreter_of(cmd)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        if _zygote is None or interpreter != _zygote.interpreter or \
                os.path.realpath(cwd) != os.path.realpath(_zygote.cwd):
            return await super().launch_kernel(cmd, **kwargs)
        # what jupyter_client's launch_kernel adds to the environment it is given
        env = {**(kwargs.get("env") or os.environ), "JPY_PARENT_PID": str(os.getpid())}
        try:
            pid = _zygote.fork(cmd[len(interpreter) + 2:], cwd, env)
        except (OSError, RuntimeError, ValueError) as exc:
            self.log.warning("forked kernel unavailable (%s): launching one", exc)
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedProcess(pid)
        self.pid = self.pgid = pid
        self.cwd = cwd
        return self.connection_info

    async def wait(self) -> int | None:
        # LocalProvisioner polls every 0.1 s; a killed kernel is gone within milliseconds
        if self.process:
            ret = self.process.wait()
            self.process = None
            return ret
        return 0


class WakefulChannel(AsyncZMQSocketChannel):
    """jupyter_client's asyncio channel, which looks at its socket again every WAKE seconds.

    pyzmq's asyncio sockets learn of a message from their file descriptor, which signals an
    edge, once: when that signal is consumed elsewhere, the message waits on the socket and
    the await on it sleeps until its timeout, then finds it. nbclient waits for a cell's reply
    with the execution timeout and for its outputs with none, so one lost edge costs the
    timeout, or hangs the run: measured here on notebooks/explore.ipynb, 4 runs in 180
    (3 at a time) waited out their whole 120 s timeout after the kernel had answered, and
    CI once hung 900 s without one (pyzmq#2173 describes the same lost wakeup). A fresh poll
    looks at the socket's events first, so a lost edge here costs at most WAKE.
    """

    WAKE = 0.5

    async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:
        from queue import Empty

        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            step = self.WAKE if deadline is None else max(0.0, min(self.WAKE, deadline - time.monotonic()))
            if await self.socket.poll(int(step * 1000)):
                return await self._recv()
            if deadline is not None and time.monotonic() >= deadline:
                raise Empty


class PromptKernelClient(AsyncKernelClient):
    """jupyter_client's client, ready as soon as the kernel has answered, whose channels do
    not sleep through a message (WakefulChannel).

    jupyter_client's wait_for_ready ends by waiting for 0.2 s of silence on IOPub, to flush
    the start-up status messages; nbclient matches every output to the cell that asked for it
    by message id, so left-over status messages are skipped anyway. Here IOPub is drained of
    what has arrived, without the wait. Everything else (kernel_info until IOPub answers, the
    errors raised) is as in jupyter_client 8.
    """

    shell_channel_class = Type(WakefulChannel)
    iopub_channel_class = Type(WakefulChannel)
    stdin_channel_class = Type(WakefulChannel)
    control_channel_class = Type(WakefulChannel)

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        from queue import Empty

        deadline = time.time() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                msg = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                pass
            else:
                if msg["msg_type"] == "kernel_info_reply":
                    try:  # IOPub is connected once it delivers something
                        await self.iopub_channel.get_msg(timeout=0.2)
                    except Empty:
                        pass
                    else:
                        self._handle_kernel_info_reply(msg)
                        break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.time() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
        while True:
            try:
                await self.iopub_channel.get_msg(timeout=0)
            except Empty:
                break


class ForkingKernelManager(AsyncKernelManager):
    """The kernel manager `gcmtools build` gives papermill: forked kernels when available, a
    client that does not wait for silence (PromptKernelClient), and a stopped kernel noticed
    within milliseconds (jupyter_client looks every 0.1 s)."""

    client_class = "gcmtools.build.forkkernel.PromptKernelClient"
    client_factory = PromptKernelClient

    async def _async_wait(self, pollinterval: float = 0.005) -> None:
        await super()._async_wait(pollinterval=pollinterval)

    async def _async_pre_start_kernel(self, **kw: Any):
        if self.provisioner is None and _zygote is not None:
            import uuid

            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ForkProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                               parent=self)
        return await super()._async_pre_start_kernel(**kw)


if __name__ == "__main__":
    zygote_main()

"""Files are read and linted in worker processes, so that one file can be stopped.

A file that runs past the time limit, or whose worker dies (memory, a crash in a PDF library),
is reported as its own input error and its worker replaced; the other files go on. Workers last
the whole run (starting one per file would cost more than linting a small file), ignore Ctrl-C
(the parent ends the run at once and stops them) and may have their memory capped, so that a
file that would fill the machine's memory fails with MemoryError instead.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from multiprocessing.connection import wait

from .errors import InputError
from .limits import MB, OPTIONS, Limits, out_of_memory

# fork: a worker starts at once with everything already imported; elsewhere the platform's default
_CONTEXT = multiprocessing.get_context("fork" if sys.platform == "linux" else None)


_NO_MEMORY = 75  # how a worker that ran out of memory ends


def stopped(name: str, limits: Limits) -> InputError:
    option = OPTIONS["timeout"][0]
    return InputError(name, f"超出处理时间上限（{limits.timeout:g} 秒），已停止；可用 {option} 放宽",
                      f"stopped after {limits.timeout:g} s, the time limit ({option} raises it)")


def died(name: str, code: int) -> InputError:
    cause = f"signal {signal.Signals(-code).name}" if code < 0 and -code in signal.valid_signals() else f"exit {code}"
    return InputError(name, f"读取此文件的进程意外终止（{cause}），可能是内存不足或程序库崩溃",
                      f"the process reading this file ended ({cause}): out of memory, or a library crashed")


def _serve(connection, memory: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # a worker says everything through its results; what a library or a fatal error would print
    # (pdfminer's warnings, a crash dump) is not for the reviewer's terminal
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    if memory:
        _cap(memory * MB)
    while True:
        try:
            function, arguments = connection.recv()
        except EOFError:
            return
        try:
            connection.send(function(*arguments))
        except MemoryError:  # the result did not fit: the parent says memory ran out
            os._exit(_NO_MEMORY)
        except Exception:  # a result that cannot be sent: the parent reports the worker ended
            os._exit(70)


def _cap(size: int) -> None:
    """Cap the memory this process may allocate (where the system has such limits: not Windows),
    never above a cap the run was given."""
    try:
        import resource
    except ImportError:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    resource.setrlimit(resource.RLIMIT_DATA, (size if hard == resource.RLIM_INFINITY else min(size, hard), hard))


class _Worker:
    def __init__(self, memory: int):
        self.connection, child = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(target=_serve, args=(child, memory), daemon=True)
        self.process.start()
        child.close()
        self.task: tuple[int, str, float] | None = None  # (index, name, deadline)

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()


def run(function, tasks: list[tuple], limits: Limits, jobs: int = 1):
    """Yield `function(*task)` for every task, in order, each run in a worker under the limits.

    A task's first item is the name of its file; `function` must return (not raise) its
    result, and a task that is stopped or whose worker dies yields the InputError saying so.
    """
    workers = [_Worker(limits.max_memory) for _ in range(min(jobs, len(tasks)))]
    done: dict[int, object] = {}
    waiting = iter(enumerate(tasks))
    following = 0
    try:
        while following < len(tasks):
            for worker in workers:
                if worker.task is None and (task := next(waiting, None)) is not None:
                    index, arguments = task
                    worker.connection.send((function, arguments))
                    deadline = time.monotonic() + limits.timeout if limits.timeout else float("inf")
                    worker.task = (index, arguments[0], deadline)
            busy = [worker for worker in workers if worker.task]
            soonest = min(worker.task[2] for worker in busy)
            ready = wait([worker.connection for worker in busy],
                         None if soonest == float("inf") else max(0.0, soonest - time.monotonic()))
            for number, worker in enumerate(workers):
                if worker.task is None:
                    continue
                index, name, deadline = worker.task
                if worker.connection in ready:
                    try:
                        done[index] = worker.connection.recv()
                    except (EOFError, OSError):
                        worker.process.join()
                        code = worker.process.exitcode
                        done[index] = out_of_memory(name, limits) if code == _NO_MEMORY else died(name, code)
                        worker.stop()
                        workers[number] = _Worker(limits.max_memory)
                        continue
                    worker.task = None
                elif time.monotonic() >= deadline:
                    worker.stop()
                    done[index] = stopped(name, limits)
                    workers[number] = _Worker(limits.max_memory)
            while following in done:
                yield done.pop(following)
                following += 1
    finally:
        for worker in workers:
            worker.stop()

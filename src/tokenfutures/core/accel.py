"""Optional compilation: numba when the ``fast`` extra is installed, plain Python otherwise.

Every kernel the house compiles has a numpy (or plain Python) twin that gives the same
results; ``jit`` compiles a kernel only when numba can be imported and the environment
variable ``TOKENFUTURES_NUMBA`` is not ``0``/``off``/``false``/``no`` (read once, at import,
like numba's own ``NUMBA_DISABLE_JIT``). Callers pick the twin with ``COMPILED``. ADR 0371.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from types import ModuleType
from typing import Any, TypeVar, cast, overload

F = TypeVar("F", bound=Callable[..., Any])

#: The switch: set to ``0`` to run the numpy twins even where numba is installed.
ENV_SWITCH = "TOKENFUTURES_NUMBA"
_OFF = frozenset({"0", "off", "false", "no"})


def _load_numba() -> ModuleType | None:
    """numba, unless it is missing or switched off."""
    if os.environ.get(ENV_SWITCH, "").strip().lower() in _OFF:
        return None
    try:
        return importlib.import_module("numba")
    except ImportError:
        return None


_NUMBA = _load_numba()
#: Whether kernels are compiled in this process (numba installed and not switched off).
COMPILED: bool = _NUMBA is not None


def backend() -> str:
    """``"numba"`` when kernels are compiled, ``"numpy"`` when their twins run."""
    return "numba" if COMPILED else "numpy"


@overload
def jit(fn: F, *, parallel: bool = ..., nogil: bool = ...) -> F: ...


@overload
def jit(fn: None = ..., *, parallel: bool = ..., nogil: bool = ...) -> Callable[[F], F]: ...


def jit(fn: F | None = None, *, parallel: bool = False, nogil: bool = True) -> Any:
    """Compile ``fn`` with the house options (cached, no fast-math) when ``COMPILED``.

    Without numba the function is returned unchanged (it still runs, as plain Python);
    callers with a large loop choose their numpy twin instead. Usable bare or with options.
    """

    def wrap(f: F) -> F:
        if _NUMBA is None:
            return f
        options = {"cache": True, "nogil": nogil, "fastmath": False, "parallel": parallel}
        return cast(F, _NUMBA.njit(**options)(f))

    return wrap if fn is None else wrap(fn)


#: numba's parallel range inside a compiled kernel (a global numba resolves when it compiles);
#: the builtin ``range`` without numba.
prange: Callable[[int], range] = range if _NUMBA is None else _NUMBA.prange


def pick(compiled: F, twin: F) -> F:
    """``compiled`` when kernels are compiled in this process, else its numpy ``twin``."""
    return compiled if COMPILED else twin

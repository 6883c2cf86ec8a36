"""pyscaffold-fw: start a Python web project that works on the first try.

The Python API is the same core the CLI calls::

    from pyscaffold_fw import GenerateRequest, generate
    generate(GenerateRequest(Path("my-site"), framework="flask", use_defaults=True))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

if TYPE_CHECKING:
    from pyscaffold_fw.generation import GenerateRequest, GenerateResult, generate

__all__ = ["GenerateRequest", "GenerateResult", "__version__", "generate"]


def __getattr__(name: str) -> Any:
    # Lazy, so `import pyscaffold_fw` (and `--help`) stays fast.
    if name in {"GenerateRequest", "GenerateResult", "generate"}:
        from pyscaffold_fw import generation  # noqa: PLC0415

        return getattr(generation, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

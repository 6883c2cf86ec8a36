"""`python -m pyscaffold_fw` runs the `pyscaffold-fw` command group."""

from pyscaffold_fw._entry import pyscaffold_fw

pyscaffold_fw()

"""The one source of truth for framework ids and where their templates live."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyscaffold_fw.errors import UnknownFrameworkError


@dataclass(frozen=True)
class Framework:
    """A web framework the tool knows, and how its starter is run."""

    id: str
    title: str
    available: bool
    # Top-level modules the starter imports; a project package must not shadow them.
    imports: tuple[str, ...] = ()
    # Folders at the project root that the starter's .gitignore leaves out or its settings
    # write into; a package at the root must not take their names.
    folders: tuple[str, ...] = ()
    # The development server, formatted with the answers ({package_name}).
    dev_server: str = ""
    # A command that must pass with the production environment (e.g. Django's deploy check).
    deploy_check: tuple[str, ...] = ()
    # Python versions, besides the running one, the end-to-end tests also cover.
    also_tested_on: tuple[str, ...] = ()


FRAMEWORKS: tuple[Framework, ...] = (
    Framework(
        "django",
        "Django",
        available=True,
        imports=(
            "asgiref",
            "dj_database_url",
            "django",
            "dotenv",
            "gunicorn",
            "manage",
            "pages",
            "psycopg",
            "psycopg_binary",
            "pytest_django",
            "sqlparse",
            "users",
            "whitenoise",
        ),
        # The package sits at the root: the ignored folders, STATIC_ROOT and MEDIA_ROOT.
        folders=("build", "dist", "htmlcov", "media", "staticfiles"),
        dev_server="python manage.py migrate && python manage.py runserver",
        deploy_check=("python", "manage.py", "check", "--deploy", "--fail-level", "WARNING"),
        also_tested_on=("3.12",),
    ),
    Framework(
        "flask",
        "Flask",
        available=True,
        imports=(
            "click",
            "dotenv",
            "flask",
            "flask_sqlalchemy",
            "flask_wtf",
            "gunicorn",
            "itsdangerous",
            "jinja2",
            "markupsafe",
            "sqlalchemy",
            "werkzeug",
            "wtforms",
        ),
        dev_server="flask --app {package_name} run --debug",
    ),
    Framework(
        "fastapi",
        "FastAPI",
        available=True,
        imports=(
            "anyio",
            "dotenv",
            "fastapi",
            "h11",
            "httptools",
            "httpx2",
            "pydantic",
            "pydantic_core",
            "pydantic_settings",
            "sqlalchemy",
            "starlette",
            "uvicorn",
            "uvloop",
            "watchfiles",
            "websockets",
        ),
        dev_server="uvicorn {package_name}.main:app --reload --reload-dir src --env-file .env",
    ),
    Framework(
        "pyramid",
        "Pyramid",
        available=True,
        imports=(
            "alembic",
            "dotenv",
            "hupper",
            "jinja2",
            "markupsafe",
            "paste",
            "pkg_resources",
            "plaster",
            "plaster_pastedeploy",
            "pyramid",
            "pyramid_jinja2",
            "pyramid_tm",
            "setuptools",
            "sqlalchemy",
            "transaction",
            "venusian",
            "waitress",
            "webob",
            "webtest",
            "zope",
        ),
        dev_server="pserve development.ini --reload",
    ),
    Framework(
        "tornado",
        "Tornado",
        available=True,
        imports=("dotenv", "tornado"),
        dev_server="python -m {package_name} --env-file .env",
    ),
)

FRAMEWORK_IDS: tuple[str, ...] = tuple(framework.id for framework in FRAMEWORKS)
AVAILABLE_IDS: tuple[str, ...] = tuple(f.id for f in FRAMEWORKS if f.available)
# Names every generated project uses besides its framework's own imports.
COMMON_IMPORTS: tuple[str, ...] = ("pytest", "ruff", "tests")
# Folders every generated project's .gitignore leaves out wherever they are (Flask's
# instance folder holds local settings): no package may take their names.
COMMON_FOLDERS: tuple[str, ...] = ("instance",)


def get_framework(framework_id: str) -> Framework:
    """Return the available framework with this id, or raise a user-facing error."""
    for framework in FRAMEWORKS:
        if framework.id == framework_id:
            if not framework.available:
                raise UnknownFrameworkError(
                    f"The {framework.title} starter is not available yet; "
                    f"available now: {', '.join(AVAILABLE_IDS)}."
                )
            return framework
    raise UnknownFrameworkError(
        f"Unknown framework {framework_id!r}; choose one of: {', '.join(FRAMEWORK_IDS)}."
    )


def templates_root() -> Path:
    """Return the folder holding the built-in templates (installed wheel or source tree)."""
    from importlib import resources  # noqa: PLC0415  (slow to import; only needed here)

    installed = Path(str(resources.files("pyscaffold_fw") / "templates"))
    if installed.is_dir():
        return installed
    # Editable install or a source checkout: the templates sit at the repository root.
    return Path(__file__).resolve().parents[2] / "templates"


def template_path(framework_id: str) -> Path:
    """Return the Copier template folder of an available framework."""
    return templates_root() / get_framework(framework_id).id

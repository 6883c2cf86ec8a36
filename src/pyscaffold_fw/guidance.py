"""What the guidance articles say about each framework, as a table to read and review.

Every row of evidence cites its source: one of the two guidance articles, paraphrased, or
the named page of a framework's own documentation where the articles are silent or the
documentation corrects them. recommend.py weighs these rows; it holds no knowledge of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

# The requirement vocabulary, shared by the wizard, `recommend` and `new`.
KINDS = ("webapp", "api", "realtime", "small")
NEEDS = (
    "admin",
    "orm",
    "auth",
    "forms",
    "templates",
    "websockets",
    "async",
    "openapi",
    "validation",
)
SCALES = ("small", "medium", "large", "growing")
CONCURRENCIES = ("low", "high")
EXPERIENCES = ("beginner", "experienced")
PRIORITIES = ("development-speed", "performance", "flexibility", "simplicity", "security")

NEED_HELP = {
    "admin": "admin: a ready-made admin site for your data",
    "orm": "orm: database tables as Python classes (object-relational mapping)",
    "auth": "auth: user accounts, login and permissions",
    "forms": "forms: HTML forms generated and validated",
    "templates": "templates: HTML pages rendered from templates",
    "websockets": "websockets: two-way live connections (chat, live updates)",
    "async": "async: async/await views for many slow or waiting requests",
    "openapi": "openapi: API documentation generated from the code",
    "validation": "validation: request data checked against declared types",
}
PRIORITY_HELP = {
    "development-speed": "development-speed: ship features quickly",
    "performance": "performance: requests per second and latency",
    "flexibility": "flexibility: pick and swap every component",
    "simplicity": "simplicity: little to learn, little code",
    "security": "security: safe defaults built in",
}

KIND_HELP = {
    "webapp": "full-featured web application",
    "api": "API or backend service",
    "realtime": "real-time: chat, live feeds, streaming, long-lived connections",
    "small": "small app, prototype or internal tool",
}

# The two guidance articles (upGrad's blog post, "Python Web Framework Unleashed") and, for
# facts they do not cover, the page of the framework's own documentation that states them.
SOURCES = {
    "upgrad": "upGrad, blog post on Python web frameworks (2025)",
    "unleashed": (
        '"Python Web Framework Unleashed: Discover Unrivaled Mastery and Unquestionable '
        'Power of Python"'
    ),
    "django-async": "Django documentation, Asynchronous support (topics/async)",
    "fastapi-home": 'FastAPI documentation, home page (key features: "Fast to code")',
    "fastapi-features": "FastAPI documentation, Features (automatic OpenAPI docs, validation)",
    "fastapi-websockets": "FastAPI documentation, Advanced User Guide: WebSockets",
    "flask-templates": "Flask documentation, Templates",
    "flask-async": "Flask documentation, Using async and await",
    "pyramid-security": "Pyramid documentation, Security (narr/security)",
    "pyramid-templates": ("Pyramid documentation, Quick Tutorial: HTML Generation With Templating"),
    "tornado-template": "Tornado documentation, tornado.template",
    "tornado-websocket": "Tornado documentation, tornado.websocket",
    "tornado-auth": (
        "Tornado documentation, tornado.auth: Third-party login with OpenID and OAuth"
    ),
    "sanic-websockets": "Sanic documentation, Guide: Websockets",
    "bottle-stpl": "Bottle documentation, SimpleTemplate Engine",
    "turbogears-home": "TurboGears documentation, introduction (full stack or microframework)",
}

# The articles' three kinds of framework; a framework without a starter is suggested beside
# a winner of its own kind, as the articles name them together.
CATEGORY_NAMES = {
    "full-stack": "a full-stack framework",
    "micro": "a microframework",
    "asynchronous": "an asynchronous framework",
}


@dataclass(frozen=True)
class Framework:
    """A framework the guidance describes."""

    id: str
    title: str
    category: str  # a key of CATEGORY_NAMES
    best_for: str
    built_in: frozenset[str]  # needs it covers without extra libraries
    has_template: bool


@dataclass(frozen=True)
class Evidence:
    """One statement of the guidance: when `factor` is `value`, it weighs `weight`."""

    framework: str
    factor: str  # kind, scale, concurrency, experience or priority
    value: str
    weight: int  # positive: speaks for the framework; negative: against it
    claim: str
    source: str


FRAMEWORKS: tuple[Framework, ...] = (
    Framework(
        "django",
        "Django",
        "full-stack",
        "large, feature-rich web applications that want everything built in",
        frozenset({"admin", "orm", "auth", "forms", "templates", "validation", "async"}),
        True,
    ),
    Framework(
        "flask",
        "Flask",
        "micro",
        "small projects, prototypes and APIs where you choose each component",
        frozenset({"templates"}),
        True,
    ),
    Framework(
        "fastapi",
        "FastAPI",
        "asynchronous",
        "fast, scalable APIs written with async/await",
        frozenset({"async", "openapi", "validation", "websockets"}),
        True,
    ),
    Framework(
        "pyramid",
        "Pyramid",
        "full-stack",
        "projects that start small and must grow large, with free choice of components",
        # No template language since Pyramid 1.5 (pyramid-templates): add a binding.
        frozenset({"auth"}),
        True,
    ),
    Framework(
        "tornado",
        "Tornado",
        "asynchronous",
        "real-time applications with thousands of concurrent connections",
        # tornado.auth is third-party OAuth/OpenID login, not accounts and permissions.
        frozenset({"async", "websockets", "templates"}),
        True,
    ),
    Framework(
        "sanic",
        "Sanic",
        "asynchronous",
        "fast async services and many concurrent connections",
        frozenset({"async", "websockets"}),
        False,
    ),
    Framework(
        "bottle",
        "Bottle",
        "micro",
        "very small applications with a small learning curve",
        frozenset({"templates"}),
        False,
    ),
    Framework(
        "cherrypy",
        "CherryPy",
        "micro",
        "simple, minimalist applications on a thread-pooled server",
        frozenset(),  # "micro": Unleashed's "minimalist" is upGrad's definition of one
        False,
    ),
    Framework(
        "turbogears",
        "TurboGears",
        "full-stack",
        "full-stack applications with form generation and validation",
        frozenset({"orm", "forms", "templates", "validation"}),
        False,
    ),
)

# Where one framework's need rests on its own documentation, not on the articles' claim
# about its kind of framework.
NEED_SOURCES_BY_FRAMEWORK: dict[tuple[str, str], tuple[str, str]] = {
    ("django", "async"): ("async views and middleware since Django 3.1", "django-async"),
    ("fastapi", "openapi"): (
        "OpenAPI documentation generated from the code",
        "fastapi-features",
    ),
    ("fastapi", "validation"): (
        "request data validated against the declared Python types",
        "fastapi-features",
    ),
    ("fastapi", "websockets"): ("WebSocket routes built in", "fastapi-websockets"),
    ("flask", "templates"): ("renders Jinja templates out of the box", "flask-templates"),
    ("pyramid", "auth"): (
        "a declarative security system for authentication and authorization",
        "pyramid-security",
    ),
    ("tornado", "templates"): ("its own template engine, tornado.template", "tornado-template"),
    ("tornado", "websockets"): ("WebSocketHandler built in", "tornado-websocket"),
    ("sanic", "websockets"): ("websocket routes built in", "sanic-websockets"),
    ("bottle", "templates"): ("a built-in template engine, SimpleTemplate", "bottle-stpl"),
}

# What each built-in need rests on when the framework has no row above: the articles'
# claim about full-stack or asynchronous frameworks, or about Django.
NEED_SOURCES: dict[str, tuple[str, str]] = {
    "admin": ("Django ships pre-built admin panels", "upgrad"),
    "orm": ("full-stack frameworks come with built-in ORM systems", "upgrad"),
    "auth": ("full-stack frameworks include authentication modules", "upgrad"),
    "forms": ("full-stack frameworks offer form generators and form validation", "unleashed"),
    "templates": ("full-stack frameworks come with templating engines", "upgrad"),
    "async": ("asynchronous frameworks use non-blocking async/await code", "upgrad"),
    "validation": ("full-stack frameworks offer form validation", "unleashed"),
}

# A stated need a framework lacks, where its documentation says more than "add a library".
NEED_MISSING_BY_FRAMEWORK: dict[tuple[str, str], tuple[str, str]] = {
    ("tornado", "auth"): (
        "tornado.auth is third-party OAuth/OpenID login only; accounts and permissions "
        "are yours to build",
        "tornado-auth",
    ),
    ("flask", "async"): (
        "async views need the flask[async] extra and each request still ties up a worker",
        "flask-async",
    ),
    ("pyramid", "templates"): (
        "Pyramid bundles no template language; add a binding such as pyramid_jinja2",
        "pyramid-templates",
    ),
}

EVIDENCE: tuple[Evidence, ...] = (
    # Django
    Evidence(
        "django",
        "kind",
        "webapp",
        3,
        "full-stack and batteries-included: ORM, authentication and routing built in",
        "upgrad",
    ),
    Evidence(
        "django",
        "scale",
        "large",
        3,
        "excellent for large applications with a lot of built-in features",
        "upgrad",
    ),
    Evidence("django", "scale", "medium", 1, "highly scalable, reusable components", "unleashed"),
    Evidence(
        "django",
        "scale",
        "small",
        -1,
        "the guidance puts Django at large applications and Flask at smaller projects",
        "upgrad",
    ),
    Evidence(
        "django",
        "kind",
        "small",
        -1,
        "Flask, not Django, is the guidance's pick for smaller projects",
        "upgrad",
    ),
    Evidence(
        "django",
        "experience",
        "beginner",
        -1,
        "complex frameworks like Django may require a steeper learning curve",
        "upgrad",
    ),
    Evidence(
        "django",
        "priority",
        "security",
        2,
        "built-in protection against XSS, CSRF and SQL injection",
        "unleashed",
    ),
    Evidence(
        "django",
        "priority",
        "development-speed",
        2,
        "encourages rapid development with pre-built components",
        "upgrad",
    ),
    Evidence(
        "django",
        "priority",
        "flexibility",
        -1,
        "microframeworks such as Flask and Bottle give more flexibility and control",
        "upgrad",
    ),
    Evidence(
        "django",
        "concurrency",
        "high",
        -1,
        "the guidance names async frameworks, not Django, for high concurrency",
        "upgrad",
    ),
    Evidence(
        "django",
        "kind",
        "realtime",
        -1,
        "real-time work is the domain of the asynchronous frameworks",
        "upgrad",
    ),
    # Flask
    Evidence("flask", "kind", "small", 3, "perfect for smaller projects", "upgrad"),
    Evidence(
        "flask",
        "kind",
        "api",
        1,
        "named perfect for APIs as well as for smaller projects",
        "upgrad",
    ),
    Evidence(
        "flask",
        "kind",
        "webapp",
        1,
        "provides the essentials for a web application, you add the rest",
        "upgrad",
    ),
    Evidence(
        "flask",
        "scale",
        "small",
        2,
        "a great tool for small applications due to its lightweight nature",
        "unleashed",
    ),
    Evidence(
        "flask",
        "scale",
        "large",
        -1,
        "for large applications the guidance prefers Django's built-in features",
        "upgrad",
    ),
    Evidence(
        "flask",
        "experience",
        "beginner",
        2,
        "minimalist and straightforward, ideal for beginners",
        "upgrad",
    ),
    Evidence(
        "flask",
        "priority",
        "flexibility",
        2,
        "developers pick and choose the components; it enforces no dependencies",
        "unleashed",
    ),
    Evidence(
        "flask",
        "priority",
        "simplicity",
        2,
        "prominent for its simplicity and straightforward syntax",
        "unleashed",
    ),
    Evidence(
        "flask",
        "priority",
        "development-speed",
        1,
        "simplicity and straightforward syntax make it lean and fast",
        "unleashed",
    ),
    Evidence(
        "flask",
        "concurrency",
        "high",
        -1,
        "the guidance names async frameworks, not Flask, for high concurrency",
        "upgrad",
    ),
    Evidence(
        "flask",
        "kind",
        "realtime",
        -1,
        "real-time work is the domain of the asynchronous frameworks",
        "upgrad",
    ),
    # FastAPI
    Evidence(
        "fastapi",
        "kind",
        "api",
        3,
        "a modern, high-performance framework for building APIs",
        "upgrad",
    ),
    Evidence(
        "fastapi",
        "priority",
        "performance",
        3,
        "designed to be fast, using asynchronous programming",
        "upgrad",
    ),
    Evidence(
        "fastapi",
        "concurrency",
        "high",
        2,
        "async frameworks serve services that need high concurrency",
        "upgrad",
    ),
    Evidence(
        "fastapi", "kind", "realtime", 1, "handles large-scale and real-time applications", "upgrad"
    ),
    Evidence("fastapi", "scale", "large", 1, "perfect for fast, scalable APIs", "upgrad"),
    Evidence(
        "fastapi",
        "priority",
        "development-speed",
        1,
        "fast to code: about 200-300% faster feature development, by its authors' estimate",
        "fastapi-home",
    ),
    Evidence(
        "fastapi",
        "kind",
        "webapp",
        -1,
        "built for APIs rather than full-featured web applications",
        "upgrad",
    ),
    # Pyramid
    Evidence(
        "pyramid", "scale", "growing", 3, "start small, finish big, stay finished", "unleashed"
    ),
    Evidence(
        "pyramid", "scale", "large", 1, "suitable for complex, large-scale projects", "upgrad"
    ),
    Evidence(
        "pyramid",
        "scale",
        "medium",
        1,
        "between a microframework and a full-stack framework",
        "unleashed",
    ),
    Evidence(
        "pyramid",
        "priority",
        "flexibility",
        2,
        "great freedom in component choice and project architecture",
        "upgrad",
    ),
    Evidence("pyramid", "kind", "webapp", 1, "a full-stack framework", "unleashed"),
    Evidence(
        "pyramid",
        "priority",
        "simplicity",
        1,
        "does as much as possible with minimum complexity",
        "unleashed",
    ),
    Evidence(
        "pyramid",
        "concurrency",
        "high",
        -1,
        "the guidance names async frameworks, not Pyramid, for high concurrency",
        "upgrad",
    ),
    Evidence(
        "pyramid",
        "kind",
        "realtime",
        -1,
        "real-time work is the domain of the asynchronous frameworks",
        "upgrad",
    ),
    # Tornado
    Evidence(
        "tornado",
        "kind",
        "realtime",
        3,
        "optimized for real-time applications such as chat services and live feeds",
        "upgrad",
    ),
    Evidence(
        "tornado",
        "concurrency",
        "high",
        3,
        "handles thousands of concurrent connections with non-blocking I/O",
        "upgrad",
    ),
    Evidence(
        "tornado",
        "priority",
        "performance",
        1,
        "high-performance capabilities, named with FastAPI",
        "upgrad",
    ),
    Evidence(
        "tornado",
        "kind",
        "webapp",
        -1,
        "an asynchronous web server and framework optimized for real-time applications",
        "upgrad",
    ),
    # Without templates: the engine can only suggest them.
    Evidence(
        "sanic",
        "concurrency",
        "high",
        2,
        "handles a large set of concurrent connections",
        "unleashed",
    ),
    Evidence("sanic", "kind", "realtime", 2, "suitable for real-time applications", "unleashed"),
    Evidence(
        "sanic",
        "priority",
        "performance",
        2,
        "exceptional speed and support for async/await",
        "upgrad",
    ),
    Evidence("sanic", "kind", "api", 1, "an async framework for APIs and services", "upgrad"),
    Evidence("bottle", "kind", "small", 2, "suitable for small-scale applications", "unleashed"),
    Evidence(
        "bottle",
        "priority",
        "simplicity",
        2,
        "limited functionality, small learning curve",
        "unleashed",
    ),
    Evidence(
        "bottle",
        "scale",
        "small",
        2,
        "named with Flask as a microframework for small-scale applications",
        "unleashed",
    ),
    Evidence("bottle", "experience", "beginner", 1, "a small learning curve", "unleashed"),
    Evidence(
        "bottle",
        "priority",
        "flexibility",
        2,
        "named with Flask as a microframework giving more flexibility and control",
        "upgrad",
    ),
    Evidence(
        "cherrypy",
        "priority",
        "simplicity",
        2,
        "apt for developers seeking simplicity",
        "unleashed",
    ),
    Evidence(
        "cherrypy",
        "kind",
        "small",
        1,
        "the minimalist framework, simple and easy to run",
        "unleashed",
    ),
    Evidence(
        "turbogears",
        "kind",
        "webapp",
        2,
        "a full-stack framework with form generators and validation",
        "unleashed",
    ),
    Evidence(
        "turbogears",
        "scale",
        "growing",
        1,
        "starts as a microframework and scales up to a full-stack solution",
        "turbogears-home",
    ),
)

# Deterministic order for equal scores; with no requirements at all it is the answer:
# Flask, the guidance's general, beginner-friendly starting point.
TIE_ORDER = (
    "flask",
    "django",
    "fastapi",
    "pyramid",
    "tornado",
    "bottle",
    "sanic",
    "cherrypy",
    "turbogears",
)

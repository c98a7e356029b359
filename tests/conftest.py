"""Backends every store suite runs on: real servers, never hand-written fakes.

    sql_backend / sql_database   parametrized over sqlite (a tmp file), mysql, postgresql
    sqlite_backend, mysql_backend, postgresql_backend   one of them, when a test needs that one
    moto_server                  moto's server over HTTP on 127.0.0.1 (session); boto3 is
                                 pointed at it through AWS_ENDPOINT_URL_DYNAMODB, dummy keys
    dynamodb_client              a client built as the functions' `Stores` build theirs, on moto
    dynamodb_table               make_table("CustomersTable") -> a fresh table shaped exactly
                                 as template.yaml defines that resource
    store_backend                parametrized over all four: what a store contract suite builds
                                 its store on (`.database()` or `.table(logical_id)`)

Every SQL backend starts migrated (functions/stores/sql/schema.py, as `ivr db migrate` leaves
a database; `migrated(url)` does the same for a database a test makes itself). MariaDB and
PostgreSQL get a database of their own per session (dropped at the end); after each test their
rows are deleted, or every table dropped when the test changed the schema. Where the servers
live, as admin URLs (the database part is only used to log in; each session creates its own):

    IVR_TEST_MYSQL_URL      default mysql://root@127.0.0.1:3306/mysql
    IVR_TEST_POSTGRES_URL   default postgresql://postgres@127.0.0.1:5432/postgres

A backend whose server can't be reached is skipped with the reason, unless IVR_REQUIRE_SERVICES=1
(CI: .ci/run), which makes it a failure.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from functions.config import PIN_HASH_COST, REQUIRE_SERVICES, env
from functions.stores.sql.database import SqlDatabase, parse_url
from functions.stores.sql.dialects import Endpoint, SqliteDialect, is_loopback
from functions.stores.sql.schema import MIGRATIONS, VERSION_TABLE, migrate
from ivr.data_dir import DATA_DIR
from tests.containers import close_stores
from tests.log_scan import personal_data_never_logged  # noqa: F401 - autouse, see there

TEST_MYSQL_URL = "IVR_TEST_MYSQL_URL"
TEST_POSTGRES_URL = "IVR_TEST_POSTGRES_URL"
DEFAULT_TEST_MYSQL_URL = "mysql://root@127.0.0.1:3306/mysql"
DEFAULT_TEST_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
SQL_BACKENDS = ("sqlite", "mysql", "postgresql")
STORE_BACKENDS = (*SQL_BACKENDS, "dynamodb")


def service_unavailable(what: str, exc: BaseException) -> None:
    """Skip (or, with IVR_REQUIRE_SERVICES=1, fail) because `what` can't be reached."""
    __tracebackhide__ = True
    reason = f"{what} unreachable: {type(exc).__name__}: {exc}"
    if env(REQUIRE_SERVICES) == "1":
        pytest.fail(f"{reason} ({REQUIRE_SERVICES}=1)")
    pytest.skip(reason)


# --- SQL ------------------------------------------------------------------------------------


def _driver_connect(url: str) -> Any:
    """A raw driver connection (autocommit) to `url`: the tests' independent view."""
    dialect = parse_url(url)
    if isinstance(dialect, SqliteDialect):
        return sqlite3.connect(dialect.path, isolation_level=None)
    endpoint: Endpoint = dialect.endpoint  # type: ignore[attr-defined]
    if dialect.name == "mysql":
        import pymysql

        return pymysql.connect(
            host=endpoint.host,
            port=endpoint.port,
            user=endpoint.user,
            password=endpoint.password,
            database=endpoint.database,
            charset="utf8mb4",
            autocommit=True,
            connect_timeout=2,
            ssl_disabled=is_loopback(endpoint.host),  # as the stores (functions/.../dialects.py)
        )
    import psycopg

    return psycopg.connect(
        host=endpoint.host,
        port=endpoint.port,
        user=endpoint.user,
        password=endpoint.password or None,
        dbname=endpoint.database,
        autocommit=True,
        connect_timeout=2,
    )


@dataclass
class SqlBackend:
    """A database the test may also read and write directly with its driver."""

    name: str
    url: str

    @contextmanager
    def raw(self) -> Iterator[Any]:
        with closing(_driver_connect(self.url)) as connection:
            yield connection

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of `sql` (qmark placeholders, `?`) run with the driver directly."""
        with self.raw() as connection, closing(connection.cursor()) as cursor:
            cursor.execute(self._paramstyle(sql), tuple(params))
            return [tuple(row) for row in cursor.fetchall()]

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        with self.raw() as connection, closing(connection.cursor()) as cursor:
            cursor.execute(self._paramstyle(sql), tuple(params))

    def tables(self) -> list[str]:
        sql = {
            "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table'",
            "mysql": "SHOW TABLES",
            "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
        }[self.name]
        return [row[0] for row in self.query(sql)]

    def drop_tables(self) -> None:
        for table in self.tables():
            self.execute(f"DROP TABLE {table}")

    def reset(self) -> None:
        """Empty every table, keeping the migrated schema; drop them all if a test changed it."""
        tables = set(self.tables())
        if tables != _SCHEMA_TABLES:
            self.drop_tables()
            return
        # One connection and one transaction: a commit per table (the raw connection's
        # autocommit) made each test's teardown on MariaDB ~0.3 s, a log flush per DELETE.
        with self.raw() as connection, closing(connection.cursor()) as cursor:
            cursor.execute("BEGIN")
            for table in sorted(tables - {VERSION_TABLE}):
                cursor.execute(f"DELETE FROM {table}")
            cursor.execute("COMMIT")

    def _paramstyle(self, sql: str) -> str:
        return sql if self.name == "sqlite" else sql.replace("?", "%s")


_SCHEMA_TABLES = {VERSION_TABLE} | {t.name for m in MIGRATIONS for t in m.tables}


def migrated(url: str) -> str:
    """`url`, its database migrated to the latest schema as `ivr db migrate` does."""
    database = SqlDatabase(url)
    try:
        migrate(database)
    finally:
        database.close()
    return url


def _with_database(admin_url: str, database: str) -> str:
    parts = urlsplit(admin_url)
    return urlunsplit(parts._replace(path=f"/{database}"))


@contextmanager
def _session_database(name: str, admin_url: str) -> Iterator[str]:
    """A database of this session's own on the server at `admin_url`; dropped at the end."""
    database = f"ivr_test_{uuid.uuid4().hex[:12]}"
    admin = SqlBackend(name, admin_url)
    try:
        if name == "mysql":
            admin.execute(f"CREATE DATABASE {database} CHARACTER SET utf8mb4")
        else:
            admin.execute(f"CREATE DATABASE {database}")
    except Exception as exc:
        where = parse_url(admin_url).describe()  # never the password of an overriding URL
        service_unavailable(f"{name} at {where}", exc)
    try:
        yield _with_database(admin_url, database)
    finally:
        force = " WITH (FORCE)" if name == "postgresql" else ""
        admin.execute(f"DROP DATABASE IF EXISTS {database}{force}")


_SESSION_ENV = pytest.MonkeyPatch()


def pytest_configure(config: pytest.Config) -> None:
    """ivr/template.py keeps each parsed template.yaml in the user's cache folder, one file per
    template path: the tests' templates in tmp folders would pile up there. Set before
    collection, since test modules load templates at import."""
    folder = tempfile.mkdtemp(prefix="ivr-tests-xdg-cache-")
    _SESSION_ENV.setenv("XDG_CACHE_HOME", folder)
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    config.add_cleanup(_SESSION_ENV.undo)
    # Cheap PIN hashes for every test and every `ivr` the tests start (functions/pins.py):
    # the production cost is tested once, in tests/test_pins.py.
    _SESSION_ENV.setenv(PIN_HASH_COST, "test")
    # The embedded store of the calls tests simulate: never the developer's .ivr/ (a test's
    # lockout or callback would meet the next `make demo`), nor one another session (or
    # pytest-xdist worker) writes at the same time.
    data = tempfile.mkdtemp(prefix="ivr-tests-data-")
    _SESSION_ENV.setenv(DATA_DIR, data)
    config.add_cleanup(lambda: shutil.rmtree(data, ignore_errors=True))


# The fixtures that start or reach a server: a test using one is a `service` test, left out of
# the fast tier (`make test-fast`, -m "not service and not network") even if nobody marked it.
SERVER_FIXTURES = frozenset({"moto_server", "mysql_url", "postgresql_url"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.service)


@pytest.fixture(scope="session")
def mysql_url() -> Iterator[str]:
    with _session_database("mysql", env(TEST_MYSQL_URL, DEFAULT_TEST_MYSQL_URL)) as url:
        yield url


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    with _session_database("postgresql", env(TEST_POSTGRES_URL, DEFAULT_TEST_POSTGRES_URL)) as url:
        yield url


@pytest.fixture
def sqlite_backend(tmp_path: Any) -> SqlBackend:
    from tests.sample_store import empty_sqlite_url  # imports this module: not at the top

    # A copy of the session's migrated file: the same schema as migrating each test's anew.
    return SqlBackend("sqlite", empty_sqlite_url(tmp_path / "store"))


@pytest.fixture
def mysql_backend(mysql_url: str) -> Iterator[SqlBackend]:
    backend = SqlBackend("mysql", migrated(mysql_url))
    yield backend
    backend.reset()


@pytest.fixture
def postgresql_backend(postgresql_url: str) -> Iterator[SqlBackend]:
    backend = SqlBackend("postgresql", migrated(postgresql_url))
    yield backend
    backend.reset()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("mysql", marks=pytest.mark.service),
        pytest.param("postgresql", marks=pytest.mark.service),
    ]
)
def sql_backend(request: pytest.FixtureRequest) -> SqlBackend:
    backend: SqlBackend = request.getfixturevalue(f"{request.param}_backend")
    return backend


@pytest.fixture
def sql_database(sql_backend: SqlBackend) -> Iterator[SqlDatabase]:
    database = SqlDatabase(sql_backend.url)
    yield database
    database.close()


# --- DynamoDB on moto's server ------------------------------------------------------------


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """moto's server on a free port of 127.0.0.1; boto3 reaches it through the environment."""
    try:
        from moto.server import ThreadedMotoServer

        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
    except Exception as exc:
        service_unavailable("moto server", exc)
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    with pytest.MonkeyPatch.context() as patch:
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
            patch.delenv(name, raising=False)
        patch.setenv("AWS_ENDPOINT_URL_DYNAMODB", endpoint)
        patch.setenv("AWS_ACCESS_KEY_ID", "testing")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        patch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        patch.setenv("AWS_REGION", "us-east-1")
        close_stores()
        try:
            yield endpoint
        finally:
            close_stores()
            server.stop()


@pytest.fixture
def dynamodb_client(moto_server: str) -> Any:
    from functions.stores.dynamodb.client import new_dynamodb_client

    return new_dynamodb_client()


@pytest.fixture
def dynamodb_table(dynamodb_client: Any) -> Iterator[Callable[[str], str]]:
    """make_table(logical_id) -> the name of a new table shaped as template.yaml says."""
    from ivr.tables import create_table

    made: list[str] = []

    def make_table(logical_id: str) -> str:
        name = f"test-{logical_id}-{uuid.uuid4().hex[:8]}"
        create_table(dynamodb_client, logical_id, name)
        made.append(name)
        return name

    yield make_table
    for name in made:
        dynamodb_client.delete_table(TableName=name)


@pytest.fixture(scope="session")
def dynamodb_sample_tables(moto_server: str) -> Iterator[Any]:
    """The sample records in DynamoDB tables seeded once per session (tests/sample_store.py
    `SampleTables`); the session's end checks that no test changed them."""
    from functions.stores.dynamodb.client import new_dynamodb_client
    from tests.sample_store import SampleTables

    tables = SampleTables.seed(new_dynamodb_client())
    yield tables
    tables.assert_unchanged()


# --- Every backend, for the store contract suites -------------------------------------------


@dataclass
class StoreBackend:
    """One backend a contract suite runs on: new SQL connections, or DynamoDB tables.

    A suite's `store` fixture reads like:
        if backend.is_dynamodb:
            return DynamoXStore(backend.table("XTable"), client=backend.client)
        return SqlXStore(backend.database())
    """

    name: str
    sql: SqlBackend | None = None
    client: Any = None
    make_table: Callable[[str], str] | None = None
    _databases: list[SqlDatabase] = field(default_factory=list)

    @property
    def is_dynamodb(self) -> bool:
        return self.name == "dynamodb"

    def database(self) -> SqlDatabase:
        """A new connection to this backend's database, closed after the test."""
        assert self.sql is not None, f"{self.name} is not a SQL backend"
        database = SqlDatabase(self.sql.url)
        self._databases.append(database)
        return database

    def table(self, logical_id: str) -> str:
        """A new table shaped as template.yaml's `logical_id`, deleted after the test."""
        assert self.make_table is not None, f"{self.name} has no tables"
        return self.make_table(logical_id)

    def close(self) -> None:
        for database in self._databases:
            database.close()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("mysql", marks=pytest.mark.service),
        pytest.param("postgresql", marks=pytest.mark.service),
        pytest.param("dynamodb", marks=pytest.mark.service),
    ]
)
def store_backend(request: pytest.FixtureRequest) -> Iterator[StoreBackend]:
    # Backends are resolved here, before the test, so their teardown (dropping tables,
    # deleting DynamoDB tables) runs after this fixture has closed its connections.
    if request.param == "dynamodb":
        backend = StoreBackend(
            "dynamodb",
            client=request.getfixturevalue("dynamodb_client"),
            make_table=request.getfixturevalue("dynamodb_table"),
        )
    else:
        backend = StoreBackend(
            request.param, sql=request.getfixturevalue(f"{request.param}_backend")
        )
    yield backend
    backend.close()

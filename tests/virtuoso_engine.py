"""A real Virtuoso 7 (Debian's `virtuoso-opensource-7-bin`) for tests: own folder, loopback only.

Started as its manual says (`virtuoso-t -f -c virtuoso.ini`, foreground) with an ini of our own:
both ports (SQL and HTTP) on 127.0.0.1, no Unix socket, file access limited to its folder
(DirsAllowed). The anonymous SPARQL user is then given update rights with `isql-vt`, which is
what `sco-kg publish` needs (Graph Store PUT, the MOVE swap); do that only on a loopback instance.
Endpoints: SPARQL query and update at /sparql, Graph Store HTTP Protocol at /sparql-graph-crud.
"""
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from engines import Engine, free_port

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {dir}
ServerThreads = 10
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 10

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""
# Loopback test instances only: every anonymous client may update every graph.
GRANTS = 'grant SPARQL_UPDATE to "SPARQL"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET (\'nobody\', 7);'


def virtuoso_binary() -> str:
    found = shutil.which("virtuoso-t")
    if not found:
        raise RuntimeError("virtuoso-t is missing: apt-get install -y virtuoso-opensource-7-bin")
    return found


@dataclass
class VirtuosoServer(Engine):
    sql_port: int = field(default_factory=free_port)

    name = "virtuoso-t"
    start_timeout_s = 60.0
    stop_timeout_s = 20.0

    @property
    def query_url(self) -> str:
        return self.base + "/sparql"

    @property
    def update_url(self) -> str:
        return self.base + "/sparql"

    @property
    def store_url(self) -> str:
        return self.base + "/sparql-graph-crud"

    @property
    def ports(self) -> list[int]:
        return [self.port, self.sql_port]

    def prepare(self) -> None:
        (self.folder / "virtuoso.ini").write_text(
            INI.format(dir=self.folder, sql_port=self.sql_port, http_port=self.port))

    def command(self) -> list[str]:
        return [virtuoso_binary(), "-f", "-c", str(self.folder / "virtuoso.ini")]

    def ready(self) -> None:
        out = subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={GRANTS}"],
                             capture_output=True, text=True, timeout=60)
        if out.returncode != 0 or "Error" in out.stdout + out.stderr:
            raise RuntimeError(f"isql-vt could not grant update rights: {out.stdout}{out.stderr}")

    def log(self) -> str:
        log = self.folder / "virtuoso.log"
        return log.read_text(errors="replace")[-2000:] if log.exists() else ""


def start_virtuoso(folder: Path) -> VirtuosoServer:
    return VirtuosoServer(Path(folder), free_port()).start()

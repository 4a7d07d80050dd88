"""Run the Java tools users run on our files: Debian's OWL API and Apache Jena, on one classpath.

The checkers in tests/java/ are compiled once per session into a temporary folder. Debian installs
every jar in /usr/share/java; its slf4j package ships all logging bindings and bridges at once, and
Jena refuses to start with log4j-over-slf4j beside slf4j-log4j12, so all but slf4j-simple are left
off (it writes the tools' warnings, e.g. riot's, to stderr).

Debian's Jena 4.5 relocates Xerces into jena-core.jar as package `xerces`, but its message files stay
under org/apache/jena/ext/xerces/: without them on the classpath under xerces/ every command dies at
start with "internal error" in XSSimpleTypeDecl. They are copied out of the jar, not invented.
"""
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

JAVA_DIR = Path("/usr/share/java")
SOURCES = Path(__file__).resolve().parent / "java"
_LOGGING = re.compile(r"^(slf4j-(?!api|simple)|log4j-over-slf4j|jcl-over-slf4j|jul-to-slf4j|maven3-slf4j-provider)")
_NEEDED = {"owlapi-distribution.jar": "libowlapi-java", "jena-core.jar": "libapache-jena-java"}


def debian_jars() -> list[str]:
    missing = [pkg for jar, pkg in _NEEDED.items() if not (JAVA_DIR / jar).exists()]
    if missing or not shutil.which("javac"):
        pytest.fail(f"needs javac and Debian's {', '.join(missing) or 'jars'} (tests/install-and-run.sh installs them)")
    return [str(p) for p in sorted(JAVA_DIR.glob("*.jar")) if not _LOGGING.match(p.name)]


def copy_xerces_messages(jena_core: Path, out: Path) -> None:
    prefix = "org/apache/jena/ext/xerces/"
    with zipfile.ZipFile(jena_core) as jar:
        for name in jar.namelist():
            if name.startswith(prefix) and name.endswith(".properties"):
                target = out / "xerces" / name[len(prefix):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))


@pytest.fixture(scope="session")
def java_classpath(tmp_path_factory) -> str:
    """Compiled checkers + Jena's message files + Debian's jars, as one -cp value."""
    jars = debian_jars()
    classes = tmp_path_factory.mktemp("java-classes")
    subprocess.run(["javac", "-nowarn", "-encoding", "UTF-8", "-cp", ":".join(jars), "-d", str(classes),
                    *map(str, sorted(SOURCES.glob("*.java")))], check=True, capture_output=True, text=True)
    copy_xerces_messages(JAVA_DIR / "jena-core.jar", classes)
    return ":".join([str(classes), *jars])


def run_java(classpath: str, main: str, *args, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(["java", "-cp", classpath, main, *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)


def tab_lines(out: str, kind: str) -> list[list[str]]:
    """The checkers' "kind<TAB>field..." lines of one kind, split into fields."""
    return [line.split("\t")[1:] for line in out.splitlines() if line.startswith(kind + "\t")]

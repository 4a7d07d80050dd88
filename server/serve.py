"""`sco-kg serve` (placeholder until the endpoint lands)."""


def add_arguments(parser):
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8035)


def main(args) -> int:
    raise SystemExit("sco-kg serve: not built yet")

"""``python -m skw2s``: a short demo of weak-to-strong generalization."""

from ._demo import main

if __name__ == "__main__":
    raise SystemExit(main())

"""How bench/spy.py files a py-spy sample under a subsystem and a part (pure)."""

from __future__ import annotations

from pathlib import Path

from bench.spy import aggregate, classify, graph_component_files

SITE = "/venv/lib/python3.10/site-packages"
CHANNEL = [
    ("serve", f"{SITE}/sanic/server/runners.py"),
    ("receive", "/repo/rasa_server/rest_channel.py"),
    ("run_turn", "/repo/rasa_server/channel_turn.py"),
    ("handle_message", f"{SITE}/rasa/core/processor.py"),
]
NLU = [("parse_message", f"{SITE}/rasa/core/processor.py"), ("run", f"{SITE}/rasa/engine/graph.py")]


def test_the_component_inside_our_channel_wrapper_names_the_part() -> None:
    diet = [*CHANNEL, *NLU, ("process", f"{SITE}/rasa/nlu/classifiers/diet_classifier.py"),
            ("quick_execute", f"{SITE}/tensorflow/python/eager/execute.py")]  # fmt: skip
    assert classify(diet) == ("NLU pipeline", "diet_classifier")
    safety = [*CHANNEL, *NLU, ("process", "/repo/rasa_server/safety.py"), ("_find", "/repo/actions/core/triage.py")]
    assert classify(safety) == ("NLU pipeline", "safety")
    assert classify([*CHANNEL, *NLU]) == ("NLU pipeline", "graph runner")


def test_actions_tracker_store_and_channel() -> None:
    call = [*CHANNEL, ("_run_action", f"{SITE}/rasa/core/processor.py"), ("run", f"{SITE}/rasa/core/actions/action.py"),
            ("_request", f"{SITE}/aiohttp/client.py")]  # fmt: skip
    assert classify(call) == ("Actions", "HTTP call to the action server")
    save = [
        *CHANNEL,
        ("save_tracker", f"{SITE}/rasa/core/processor.py"),
        ("save", "/repo/rasa_server/tracker_store.py"),
    ]
    assert classify(save) == ("Tracker store", "save")
    assert classify(CHANNEL[:3]) == ("Channels and HTTP server", "")


def test_only_our_graph_components_are_components() -> None:
    files = graph_component_files()
    assert "rasa_server/safety.py" in files and "rasa_server/input_guard.py" in files
    assert not {"rasa_server/channel_turn.py", "rasa_server/rest_channel.py", "rasa_server/tracker_store.py"} & set(
        files
    )


def test_raw_output_is_counted_per_group_and_leaf(tmp_path: Path) -> None:
    raw = tmp_path / "profile.txt"
    stack = ";".join(f"{function} ({path}:1)" for function, path in [*CHANNEL, *NLU])
    raw.write_text(f"{stack} 7\n{';'.join(f'{f} ({p}:2)' for f, p in CHANNEL[:2])} 3\nnot a stack\n")
    profile = aggregate(raw, turns=5, seconds=1.0)
    assert (profile.samples, profile.turns) == (10, 5)
    assert dict(profile.groups) == {"NLU pipeline": 7, "Channels and HTTP server": 3}
    assert profile.leaves.most_common(1) == [("run (rasa/engine/graph.py)", 7)]

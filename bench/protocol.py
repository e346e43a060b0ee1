"""A visitor that speaks Streamlit's own WebSocket protocol: the load generator's unit.

One Chromium per visitor would take the CPU the app needs on a 2-core machine, so each
visitor is a WebSocket on ``/_stcore/stream`` sending what the browser sends (a
``BackMsg`` asking for a script run, with the widget states) and reading what the browser
reads (``ForwardMsg`` deltas). A run is timed from the request to the arrival of the map
component's delta (``delivered``: what the browser needs to paint the map) and to
``script_finished`` (the page is complete; the visitor acts only after it, as a person
waits for the page to settle). The browser's own painting time is added once, from a
calibration against Chromium (bench/visitors.py).

What a browser does that this does not: fetch Streamlit's scripts and the map frame's
files (a returning visitor has them cached) and offer cached message hashes (the server
then sends a reference instead of a repeated element; here every element is sent whole,
which costs the server slightly more, not less).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

MAP_COMPONENT = "streamlit_folium.st_folium"


class RunFailed(Exception):
    """The script run ended without a map, or with an error: a visitor saw no map."""


@dataclass
class Run:
    """One script run as a visitor experienced it."""

    action: str
    delivered_s: float
    finished_s: float
    received_bytes: int


@dataclass
class Widgets:
    """The Explore page's filter widgets as the last run drew them, by label."""

    multiselects: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    sliders: dict[str, tuple[str, float, float]] = field(default_factory=dict)
    radios: dict[str, tuple[str, list[str]]] = field(default_factory=dict)

    def note(self, kind: str, element: object) -> None:
        if kind == "multiselect":
            self.multiselects[element.label] = (element.id, list(element.options))
        elif kind == "slider":
            self.sliders[element.label] = (element.id, element.min, element.max)
        elif kind == "radio":
            self.radios[element.label] = (element.id, list(element.options))


class Visitor:
    """One tab on the Explore page: opens it, then changes filters the way its widgets do."""

    def __init__(self, base_url: str, rng: random.Random) -> None:
        self.http_url = base_url.rstrip("/")
        self.ws_url = self.http_url.replace("http", "ws", 1) + "/_stcore/stream"
        self.rng = rng
        self.widgets = Widgets()
        self.states: dict[str, WidgetState] = {}
        self.page_hash = ""
        self.socket: websockets.ClientConnection | None = None

    async def open(self) -> Run:
        """A new tab: connect and ask for the first run, as the browser does on load."""
        self.socket = await websockets.connect(
            self.ws_url, subprotocols=["streamlit"], origin=self.http_url, max_size=None
        )
        return await self._run("open")

    async def filter(self) -> Run:
        """Change one filter at random (ward, kind, ages, wheelchair access) and rerun."""
        choice = self.rng.choice(
            ["Wards", "Kind of play area", "Suitable for ages", "Wheelchair access"]
        )
        if choice in self.widgets.multiselects:
            widget_id, options = self.widgets.multiselects[choice]
            state = WidgetState(id=widget_id)
            state.string_array_value.data.extend(self.rng.sample(options, 1))
        elif choice in self.widgets.sliders:
            widget_id, low, high = self.widgets.sliders[choice]
            state = WidgetState(id=widget_id)
            state.double_array_value.data.extend(
                sorted(self.rng.sample(range(int(low), int(high) + 1), 2))
            )
        else:
            widget_id, options = self.widgets.radios[choice]
            state = WidgetState(id=widget_id, string_value=self.rng.choice(options))
        self.states[state.id] = state
        return await self._run(choice.lower())

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
            self.socket = None

    async def _run(self, action: str) -> Run:
        message = BackMsg()
        request = message.rerun_script
        request.page_script_hash = self.page_hash
        request.context_info.timezone = "Europe/London"
        request.context_info.url = self.http_url + "/"
        request.widget_states.widgets.extend(self.states.values())
        start = time.perf_counter()
        await self.socket.send(message.SerializeToString())
        delivered, received = None, 0
        while True:
            data = await self.socket.recv()
            received += len(data)
            forward = ForwardMsg()
            forward.ParseFromString(data)
            kind = forward.WhichOneof("type")
            if kind == "navigation":
                self.page_hash = forward.navigation.page_script_hash
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element_kind = forward.delta.new_element.WhichOneof("type")
                element = getattr(forward.delta.new_element, element_kind)
                if element_kind == "component_instance":
                    if element.component_name == MAP_COMPONENT:
                        delivered = time.perf_counter() - start
                elif element_kind == "exception":
                    raise RunFailed(f"{action}: the page raised {element.type}")
                else:
                    self.widgets.note(element_kind, element)
            elif kind == "script_finished":
                # 0: finished successfully; 1 (rerun requested) and others end without a page.
                if forward.script_finished != 0 or delivered is None:
                    raise RunFailed(
                        f"{action}: run ended ({forward.script_finished}) without a map"
                    )
                return Run(action, delivered, time.perf_counter() - start, received)

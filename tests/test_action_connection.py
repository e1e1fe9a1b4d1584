"""Action calls share kept-alive connections (rasa_server/action_connection.py): against a
real local HTTP server, several calls arrive over one TCP connection, and a call after the
server dropped its connections opens a new one instead of failing."""

from __future__ import annotations

from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

from rasa_server.action_connection import KeepAliveEndpoint, kept_alive


async def _server(peers: list[int]) -> tuple[web.AppRunner, int]:
    async def webhook(request: web.Request) -> web.Response:
        peers.append(request.transport.get_extra_info("peername")[1])
        body = await request.json()
        return web.json_response({"events": [], "responses": [{"text": f"got {body['n']}"}]})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]


async def test_calls_reuse_one_connection_and_survive_a_server_restart() -> None:
    peers: list[int] = []
    runner, port = await _server(peers)
    endpoint = kept_alive(EndpointConfig(url=f"http://127.0.0.1:{port}/webhook", headers={"X-Action-Secret": "s"}))
    assert isinstance(endpoint, KeepAliveEndpoint) and endpoint.headers == {"X-Action-Secret": "s"}
    replies = [await endpoint.request(json={"n": n}, method="post") for n in range(3)]
    assert [r["responses"][0]["text"] for r in replies] == ["got 0", "got 1", "got 2"]
    assert len(peers) == 3 and len(set(peers)) == 1  # Rasa's own EndpointConfig: three connections
    await runner.cleanup()  # closes the kept-alive connection from the server side

    runner, port2 = await _server(peers)
    endpoint.url = f"http://127.0.0.1:{port2}/webhook"
    assert (await endpoint.request(json={"n": 9}, method="post"))["responses"][0]["text"] == "got 9"
    await runner.cleanup()


def test_the_same_endpoint_object_keeps_its_twin() -> None:
    config = EndpointConfig(url="http://127.0.0.1:5055/webhook")
    assert kept_alive(config) is kept_alive(config)
    assert kept_alive(None) is None and kept_alive(EndpointConfig(url=None)).url is None

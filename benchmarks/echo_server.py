#!/usr/bin/env python3
"""One echo server of eventual's echo benchmark (benchmarks/run-echo.sh), on 127.0.0.1.

Usage: echo_server.py KIND PORT, KIND one of asyncio-protocol, asyncio-streams,
uvloop-protocol, uvloop-streams. Prints READY once it listens, then serves until killed.
"""
import asyncio
import sys


class EchoProtocol(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.transport.write(data)


async def handle(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    finally:
        writer.close()


async def main(kind, port):
    loop = asyncio.get_running_loop()
    if kind.endswith("protocol"):
        server = await loop.create_server(EchoProtocol, "127.0.0.1", port, backlog=1024)
    else:
        server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024)
    print("READY", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    kind, port = sys.argv[1], int(sys.argv[2])
    if kind.startswith("uvloop"):
        import uvloop
        uvloop.install()
    asyncio.run(main(kind, port))

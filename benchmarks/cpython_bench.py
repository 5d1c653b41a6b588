#!/usr/bin/env python3
"""Times CPython's own futures on the scenarios of eventual's JMH suite (standard library only).

The seeds of eventual are ``concurrent.futures.Future`` and ``asyncio.Future``; this script times
them on the scenarios of ``benchmarks/`` where they apply, with the same batch sizes, so that
``dev.eventual.benchmarks.Report`` can divide eventual's time by CPython's:

=============================  ==============================================  ==================
scenario                       work per operation                              JMH counterpart
=============================  ==============================================  ==================
cf_create_set_result_result    concurrent Future(), set_result, result()       CreateComplete
cf_add_done_callback           Future(), add_done_callback, set_result         OneCallback
asyncio_future_callback        create_future, add_done_callback, set_result;   LoopFuture
                               1,000 a batch, then one loop turn runs the
                               callbacks (loop.stop(); loop.run_forever())
asyncio_call_soon              a callback on the running loop calls call_soon  LoopCallSoon
                               100,000 times; the last callback stops the loop
asyncio_await_round_trip       one task awaits, 1,000 times, a fresh future    LoopAwait
                               that a call_soon callback completes
asyncio_tasks_sleep_gather_    asyncio.run of a main task that creates N       LoopTasks
  <N>_<ms>                     tasks, each awaiting asyncio.sleep(ms) and
                               returning 1, and gathers them; one run
asyncio_task_ping_pong         two tasks pass a turn back and forth through    LoopTasks.PingPong
                               futures, 10,000 rounds; per task switch
asyncio_eager_task_no_suspend  a task on a reused loop creates 1,000 tasks      EagerTask
                               whose coroutine returns at once, with
                               asyncio.eager_task_factory (3.12+), and awaits
                               each; per task
asyncio_lazy_task_no_suspend   the same without a task factory; per task       EagerTask
asyncio_eager_task_await_each  the main task awaits each of the 1,000 tasks     EagerTask.
                               as soon as it is created (eager factory); per      eagerAwaitEach
                               task
asyncio_lazy_task_await_each   the same without a task factory; per task       EagerTask.
                                                                                 lazyAwaitEach
asyncio_queue_handoff          asyncio.run: a producer task puts 10,000 items  LoopPrimitives.
                               into Queue(maxsize=1), a consumer task gets       queueHandoff
                               them; per item
asyncio_lock_uncontended       asyncio.run: one task does async with lock:     LoopPrimitives.
                               10,000 times; per acquire and release             lockUncontended
=============================  ==============================================  ==================

Each scenario runs one warm-up repeat, then ``--repeats`` repeats of at least ``--seconds``
each; the score is the mean time per operation over the repeats (as JMH's average time), with
the minimum and maximum beside it. The garbage collector stays on, as the JVM's does.

Usage: ``python3 benchmarks/cpython_bench.py [--out docs/cpython-result.json]``; without
``--out`` the JSON goes to standard output.
"""

import argparse
import asyncio
import concurrent.futures
import gc
import json
import platform
import statistics
import sys
import time

VALUE = 42
FUTURES = 1_000  # LoopFutureBenchmark.FUTURES
CALLBACKS = 100_000  # LoopCallSoonBenchmark.CALLBACKS
ROUND_TRIPS = 1_000  # LoopAwaitBenchmark.ROUND_TRIPS
PING_PONG_ROUNDS = 10_000  # LoopTasksBenchmark.PingPong.ROUNDS
EAGER_TASKS = 1_000  # EagerTaskBenchmark.TASKS
QUEUE_ITEMS = 10_000  # LoopPrimitivesBenchmark.ITEMS
LOCKS = 10_000  # LoopPrimitivesBenchmark.LOCKS
TASK_COUNTS = (1_000, 10_000, 100_000)  # LoopTasksBenchmark.n
SLEEPS_MS = (0, 10)  # LoopTasksBenchmark.sleepMs
SINGLE_BATCH = 1_000  # plain futures: operations per timed batch


def _sink(_):
    pass


def cf_create_set_result_result():
    """concurrent.futures.Future: create, set_result, result(); SINGLE_BATCH operations."""
    future_class = concurrent.futures.Future
    for _ in range(SINGLE_BATCH):
        f = future_class()
        f.set_result(VALUE)
        f.result()
    return SINGLE_BATCH


def cf_add_done_callback():
    """concurrent.futures.Future: create, add_done_callback, set_result (the callback runs)."""
    future_class = concurrent.futures.Future
    for _ in range(SINGLE_BATCH):
        f = future_class()
        f.add_done_callback(_sink)
        f.set_result(VALUE)
    return SINGLE_BATCH


def asyncio_future_callback(loop):
    """asyncio.Future: FUTURES x (create, add_done_callback, set_result), then one loop turn."""
    create = loop.create_future
    for _ in range(FUTURES):
        f = create()
        f.add_done_callback(_sink)
        f.set_result(VALUE)
    loop.stop()
    loop.run_forever()  # stopped before it started: runs the ready callbacks once, returns
    return FUTURES


def asyncio_call_soon(loop):
    """A callback on the running loop calls call_soon CALLBACKS times; the last stops the loop."""
    counter = [0]

    def count():
        counter[0] += 1

    def burst():
        call_soon = loop.call_soon
        for _ in range(CALLBACKS - 1):
            call_soon(count)
        call_soon(loop.stop)

    loop.call_soon(burst)
    loop.run_forever()
    if counter[0] != CALLBACKS - 1:
        raise AssertionError(f"{counter[0]} callbacks ran, expected {CALLBACKS - 1}")
    return CALLBACKS


def asyncio_await_round_trip(loop):
    """One task awaits ROUND_TRIPS times a fresh future that a call_soon callback completes."""

    async def body():
        total = 0
        create = loop.create_future
        call_soon = loop.call_soon
        for _ in range(ROUND_TRIPS):
            f = create()
            call_soon(f.set_result, VALUE)
            total += await f
        return total

    total = loop.run_until_complete(loop.create_task(body()))
    if total != VALUE * ROUND_TRIPS:
        raise AssertionError(f"sum {total}, expected {VALUE * ROUND_TRIPS}")
    return ROUND_TRIPS


def asyncio_tasks_sleep_gather(n, sleep_ms):
    """asyncio.run of a main task creating n tasks that each sleep sleep_ms, gathered; one run."""
    delay = sleep_ms / 1000

    async def child():
        await asyncio.sleep(delay)
        return 1

    async def main():
        tasks = [asyncio.create_task(child()) for _ in range(n)]
        return sum(await asyncio.gather(*tasks))

    total = asyncio.run(main())
    if total != n:
        raise AssertionError(f"gathered {total} of {n}")
    return 1


def asyncio_task_ping_pong():
    """Two tasks pass a turn through futures PING_PONG_ROUNDS times; ops are task switches."""

    async def main():
        loop = asyncio.get_running_loop()
        box = {"to_pong": loop.create_future(), "to_ping": loop.create_future()}

        async def pong():
            total = 0
            for i in range(PING_PONG_ROUNDS):
                total += await box["to_pong"]
                box["to_pong"] = loop.create_future()
                box["to_ping"].set_result(i)
            return total

        other = asyncio.create_task(pong())
        total = 0
        for i in range(PING_PONG_ROUNDS):
            back = box["to_ping"]
            box["to_pong"].set_result(i)
            total += await back
            box["to_ping"] = loop.create_future()
        return total + await other

    asyncio.run(main())
    return 2 * PING_PONG_ROUNDS


def asyncio_task_no_suspend(loop):
    """A main task creates EAGER_TASKS tasks whose coroutine returns at once, then awaits each.

    The loop's task factory decides whether they start eagerly; the main task itself is created
    before the factory matters (it is started by run_until_complete, on a loop not yet running).
    """

    async def child():
        return VALUE

    async def main():
        create_task = loop.create_task
        tasks = [create_task(child()) for _ in range(EAGER_TASKS)]
        total = 0
        for t in tasks:
            total += await t
        return total

    total = loop.run_until_complete(main())
    if total != VALUE * EAGER_TASKS:
        raise AssertionError(f"sum {total}, expected {VALUE * EAGER_TASKS}")
    return EAGER_TASKS
def asyncio_task_no_suspend_await_each(loop):
    """A main task awaits EAGER_TASKS tasks one by one, each as soon as it is created.

    Lazily, each await suspends the main task until the loop has run the child; with
    asyncio.eager_task_factory the child is done when create_task returns.
    """

    async def child():
        return VALUE

    async def main():
        create_task = loop.create_task
        total = 0
        for _ in range(EAGER_TASKS):
            total += await create_task(child())
        return total

    total = loop.run_until_complete(main())
    if total != VALUE * EAGER_TASKS:
        raise AssertionError(f"sum {total}, expected {VALUE * EAGER_TASKS}")
    return EAGER_TASKS


def asyncio_queue_handoff():
    """A producer task puts QUEUE_ITEMS items into Queue(maxsize=1); a consumer task gets them."""

    async def main():
        queue = asyncio.Queue(maxsize=1)

        async def consumer():
            total = 0
            for _ in range(QUEUE_ITEMS):
                total += await queue.get()
            return total

        task = asyncio.create_task(consumer())
        for i in range(QUEUE_ITEMS):
            await queue.put(i)
        return await task

    total = asyncio.run(main())
    if total != QUEUE_ITEMS * (QUEUE_ITEMS - 1) // 2:
        raise AssertionError(f"the consumer summed {total}")
    return QUEUE_ITEMS


def asyncio_lock_uncontended():
    """One task acquires and releases an asyncio.Lock nobody else wants, LOCKS times."""

    async def main():
        lock = asyncio.Lock()
        held = 0
        for _ in range(LOCKS):
            async with lock:
                held += 1
        return held

    if asyncio.run(main()) != LOCKS:
        raise AssertionError("the lock was not held LOCKS times")
    return LOCKS


def measure(batch, repeats, seconds):
    """Runs batch() (which returns its operation count) for one warm-up and `repeats` repeats."""
    per_op = []
    for r in range(repeats + 1):
        ops = 0
        start = time.perf_counter_ns()
        deadline = start + int(seconds * 1e9)
        now = start
        while now < deadline:
            ops += batch()
            now = time.perf_counter_ns()
        if r > 0:  # the first repeat is the warm-up
            per_op.append((now - start) / ops)
    return {
        "ns_per_op": statistics.fmean(per_op),
        "min_ns_per_op": min(per_op),
        "max_ns_per_op": max(per_op),
        "repeats": repeats,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", help="write the JSON here instead of standard output")
    parser.add_argument("--repeats", type=int, default=5, help="measured repeats (default 5)")
    parser.add_argument(
        "--seconds", type=float, default=0.5, help="minimum seconds per repeat (default 0.5)"
    )
    parser.add_argument(
        "--quick-tasks",
        action="store_true",
        help="leave out the asyncio_tasks_sleep_gather scenarios (about a minute)",
    )
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.seconds <= 0:
        parser.error("--repeats must be at least 1 and --seconds positive")

    loop = asyncio.new_event_loop()
    eager_loop = None
    try:
        scenarios = {
            "cf_create_set_result_result": cf_create_set_result_result,
            "cf_add_done_callback": cf_add_done_callback,
            "asyncio_future_callback": lambda: asyncio_future_callback(loop),
            "asyncio_call_soon": lambda: asyncio_call_soon(loop),
            "asyncio_await_round_trip": lambda: asyncio_await_round_trip(loop),
            "asyncio_task_ping_pong": asyncio_task_ping_pong,
            "asyncio_lazy_task_no_suspend": lambda: asyncio_task_no_suspend(loop),
            "asyncio_lazy_task_await_each": lambda: asyncio_task_no_suspend_await_each(loop),
            "asyncio_queue_handoff": asyncio_queue_handoff,
            "asyncio_lock_uncontended": asyncio_lock_uncontended,
        }
        if hasattr(asyncio, "eager_task_factory"):  # 3.12+
            eager_loop = asyncio.new_event_loop()
            eager_loop.set_task_factory(asyncio.eager_task_factory)
            scenarios["asyncio_eager_task_no_suspend"] = lambda: asyncio_task_no_suspend(
                eager_loop
            )
            scenarios["asyncio_eager_task_await_each"] = (
                lambda: asyncio_task_no_suspend_await_each(eager_loop)
            )
        if not args.quick_tasks:
            for n in TASK_COUNTS:
                for ms in SLEEPS_MS:
                    scenarios[f"asyncio_tasks_sleep_gather_{n}_{ms}"] = (
                        lambda n=n, ms=ms: asyncio_tasks_sleep_gather(n, ms)
                    )
        results = {}
        for name, batch in scenarios.items():
            gc.collect()
            results[name] = measure(batch, args.repeats, args.seconds)
            print(
                f"{name}: {results[name]['ns_per_op']:.1f} ns/op", file=sys.stderr, flush=True
            )
    finally:
        loop.close()
        if eager_loop is not None:
            eager_loop.close()

    report = {
        "implementation": platform.python_implementation(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "asyncio_future": f"{asyncio.Future.__module__}.{asyncio.Future.__qualname__}",
        "scenarios": results,
    }
    text = json.dumps(report, indent=2) + "\n"
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()

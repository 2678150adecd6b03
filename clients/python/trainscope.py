"""Trainscope's Python client: one file, standard library only (copy it next to your script).

    import trainscope
    with trainscope.Run("http://127.0.0.1:8080", name="torch mlp", params={"lr": 0.1}) as run:
        for epoch in range(1, 101):
            loss, acc = train_one_epoch()
            run.log(epoch=epoch, epochs=100, loss=loss, accuracy=acc)
            if run.should_stop():
                break
            run.wait_if_paused()

Events go to the server from a background thread in NDJSON batches: ``log`` only queues.

How retries stay safe (the one rule): every event gets a ``seq`` when the sender takes it, the
next after what the client believes the run's log holds (the server's ``run-started`` is 0, so a
new run's first event is 1; an attached run starts at the log's size, ``GET /api/runs/{id}``
``events``). A batch is sent with its seqs and the server stores it only if its first seq is
exactly the log's next, so a batch resent after a cut connection is refused (400 naming
``events[0].seq``) rather than stored twice. On that 400 the client reads the log from its first
unacknowledged seq (``events.ndjson?after=``) and walks it against its pending events: a logged
event equal to the next pending one in ``type``, ``time``, ``epoch`` and ``batch`` (``time`` is
stamped by the client) was stored and is dropped; any other (a ``status`` the server wrote for a
pause or stop) only takes its seq. The rest is renumbered after the log's last seq and sent. So
nothing is stored twice and nothing is lost. A 400 naming another field of ``events[i]`` drops
that event (with a warning) and renumbers those after it; a 409 (the run has ended) drops all.

Offline: when the server cannot be reached after bounded retries (``retries``, 0.25 s doubling to
5 s), events go to a spool file (NDJSON: a header line, then one event per line with its seq) and
every ``reconnect_seconds`` the sender tries to upload it and go back online. Whatever is left is
uploaded later, by the same rule, with ``python3 -m trainscope sync SPOOL URL``. A run created
while the server was unreachable is created by the first successful upload.
"""

import argparse
import atexit
import json
import math
import os
import sys
import threading
import time
import urllib.error
import urllib.request
import warnings

__all__ = ["Run", "TrainscopeError", "summarize", "sync", "current"]

NDJSON = "application/x-ndjson"
BATCH_EVENTS = 500
BATCH_BYTES = 512 * 1024  # the server takes bodies up to 1 MiB
BINS = 20  # histogram bins, as the engine's Stats.BINS
_current = []  # the open runs, newest last: trainscope.torch.watch() uses the newest


class TrainscopeError(Exception):
    """A request the server refused (4xx other than the handled ones), or a broken spool."""


class _Unreachable(TrainscopeError):
    """No answer, or one that may change on retry (5xx: full disk, too many open files)."""


class _Ended(Exception):
    """The run has ended on the server (409): nothing more can be stored."""


def current():
    """The newest open Run, or None."""
    return _current[-1] if _current else None


@atexit.register
def _flush_open_runs():
    # The sender is a daemon thread: without this, a script that ends without finish() would
    # lose what is still queued. The run stays unfinished (the server shows it interrupted later).
    for run in list(_current):
        run.flush(timeout=30)


class _Http:
    def __init__(self, url, token=None, timeout=10.0):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _request(self, method, path, body, content_type):
        req = urllib.request.Request(self.url + path, data=body, method=method)
        if body is not None:
            req.add_header("Content-Type", content_type)
        if self.token:
            req.add_header("Authorization", "Bearer " + self.token)
        return req

    def call(self, method, path, body=None, content_type="application/json"):
        """(status, parsed JSON or text); raises _Unreachable when retrying may help."""
        try:
            with urllib.request.urlopen(self._request(method, path, body, content_type),
                                        timeout=self.timeout) as r:
                return r.status, _parse(r.read())
        except urllib.error.HTTPError as e:
            text = e.read()
            if e.code >= 500:
                raise _Unreachable("%s %s: %s %s" % (method, path, e.code, text[:200])) from e
            return e.code, _parse(text)
        except (OSError, ValueError) as e:  # URLError, refused, reset, timeout, bad status line
            raise _Unreachable("%s %s: %s" % (method, path, e)) from e

    def stream(self, path, timeout):
        return urllib.request.urlopen(self._request("GET", path, None, None), timeout=timeout)


def _parse(raw):
    text = raw.decode("utf-8", "replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


def _retrying(action, retries, stop=None):
    """action() until it does not raise _Unreachable, at most retries + 1 times."""
    delay = 0.25
    for attempt in range(retries + 1):
        try:
            return action()
        except _Unreachable:
            if attempt == retries:
                raise
        if stop is not None and stop.wait(delay):
            raise _Unreachable("closing")
        if stop is None:
            time.sleep(delay)
        delay = min(delay * 2, 5.0)


def _number(v):
    return None if v is None else float(v)


def _metric(v):
    """A metric as the server keeps it: non-finite values as the strings NaN / Infinity."""
    f = float(v)
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "Infinity" if f > 0 else "-Infinity"
    return f


def _finite(v):
    """A standard figure: finite or left out (the server refuses NaN in them)."""
    f = _number(v)
    return f if f is not None and math.isfinite(f) else None


def summarize(values, bins=BINS):
    """The engine's Summary of numbers: count, mean, population std, min, max and a histogram of
    equal-width bins over [min, max] (a value's bin is floor((v - min) / width), the last bin
    also holding max; all in bin 0 when every value is the same)."""
    vs = [float(v) for v in values]
    n = len(vs)
    if n == 0:
        return {"count": 0, "mean": 0.0, "std": 0.0, "min": 0.0, "max": 0.0, "histogram": []}
    mean = math.fsum(vs) / n
    lo, hi = min(vs), max(vs)
    std = math.sqrt(math.fsum((v - mean) ** 2 for v in vs) / n)
    hist = [0] * bins
    width = (hi - lo) / bins
    for v in vs:
        b = int((v - lo) / width) if width > 0 else 0
        hist[min(b, bins - 1)] += 1
    return {"count": n, "mean": mean, "std": std, "min": lo, "max": hi, "histogram": hist}


def _identity(e):
    return (e.get("type"), e.get("time"), e.get("epoch"), e.get("batch"))


def _encode(e):
    return json.dumps(e, allow_nan=False, separators=(",", ":")).encode("utf-8")


def _log_after(http, run_id, seq):
    """The run's logged events after seq (what the server stores now)."""
    status, body = http.call("GET", "/api/runs/%s/events.ndjson?after=%d" % (run_id, seq))
    if status == 204:
        return []
    if status != 200:
        raise TrainscopeError("reading run %s's log: %s %s" % (run_id, status, body))
    if isinstance(body, dict):  # one line parses as one object
        return [body]
    return [json.loads(line) for line in str(body).splitlines() if line.strip()]


def _reconcile(http, run_id, pending):
    """After a seq mismatch: drop the pending events the log holds, renumber the rest (see the
    module's docstring). Returns how many were found already stored."""
    logged = _log_after(http, run_id, pending[0]["seq"] - 1)
    found = 0
    for s in logged:
        if found < len(pending) and _identity(s) == _identity(pending[found]):
            found += 1
    del pending[:found]
    nxt = logged[-1]["seq"] + 1 if logged else None
    if nxt is None:
        status, detail = http.call("GET", "/api/runs/" + run_id)
        if status != 200:
            raise TrainscopeError("run %s: %s %s" % (run_id, status, detail))
        nxt = detail["events"]
    for i, e in enumerate(pending):
        e["seq"] = nxt + i
    return found, nxt


def _upload(http, run_id, pending, retries, stop=None, on_answer=None):
    """Sends pending (event dicts with seqs, in order) until all are stored; removes them from
    the list as the server acknowledges them; returns the log's next seq (None if nothing was
    sent). Raises _Unreachable, _Ended or TrainscopeError."""
    nxt = None
    while pending:
        lines, size = [], 0
        for e in pending[:BATCH_EVENTS]:
            line = _encode(e)
            if lines and size + len(line) + 1 > BATCH_BYTES:
                break
            lines.append(line)
            size += len(line) + 1
        body = b"\n".join(lines) + b"\n"
        path = "/api/runs/%s/events" % run_id
        status, answer = _retrying(lambda: http.call("POST", path, body, NDJSON), retries, stop)
        if on_answer is not None and isinstance(answer, dict):
            on_answer(answer)
        if status == 200:
            nxt = answer.get("nextSeq", pending[len(lines) - 1]["seq"] + 1)
            del pending[:len(lines)]
        elif status == 409:
            raise _Ended(str(answer))
        elif status == 400 and isinstance(answer, dict) and _bad_event(answer) is not None:
            index, field = _bad_event(answer)
            if field == "seq":
                nxt = _retrying(lambda: _reconcile(http, run_id, pending), retries, stop)[1]
            else:
                warnings.warn("trainscope: event dropped, the server refused it: %s"
                              % answer.get("error"))
                bad = pending.pop(index)
                for e in pending[index:]:
                    e["seq"] -= 1
                del bad
        else:
            raise TrainscopeError("push to run %s: %s %s" % (run_id, status, answer))
    return nxt


def _bad_event(answer):
    """(index, field) from a 400's field "events[3].loss", else None."""
    f = answer.get("field") or ""
    if not f.startswith("events["):
        return None
    close = f.find("]")
    try:
        return int(f[7:close]), f[close + 2:]
    except ValueError:
        return None


class _Spool:
    """The spool file: a header line {"trainscope-spool": 1, "runId", "create"}, then events."""

    def __init__(self, path):
        self.path = path

    def exists(self):
        return os.path.exists(self.path)

    def start(self, run_id, create):
        os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
        header = {"trainscope-spool": 1, "runId": run_id, "create": create}
        with open(self.path, "w", encoding="utf-8") as f:
            f.write(json.dumps(header) + "\n")

    def append(self, events):
        with open(self.path, "a", encoding="utf-8") as f:
            for e in events:
                f.write(_encode(e).decode("utf-8") + "\n")
            f.flush()
            os.fsync(f.fileno())

    def read(self):
        with open(self.path, encoding="utf-8") as f:
            lines = [line for line in f.read().splitlines() if line.strip()]
        if not lines:
            raise TrainscopeError("%s: empty, not a Trainscope spool" % self.path)
        try:
            header, events = json.loads(lines[0]), [json.loads(x) for x in lines[1:]]
        except ValueError as e:
            raise TrainscopeError("%s: not a Trainscope spool: %s" % (self.path, e)) from e
        if not isinstance(header, dict) or header.get("trainscope-spool") != 1:
            raise TrainscopeError("%s: no Trainscope spool header" % self.path)
        return header, events

    def set_run(self, run_id):
        """Records the run an upload created, so a second upload does not create another."""
        header, events = self.read()
        header["runId"] = run_id
        tmp = self.path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(json.dumps(header) + "\n")
            for e in events:
                f.write(_encode(e).decode("utf-8") + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)


def _create(http, create, retries, stop=None):
    status, body = _retrying(lambda: http.call("POST", "/api/runs", _encode(create)), retries, stop)
    if status == 400 and isinstance(body, dict) and body.get("field") == "controllable":
        # A server without control of pushed runs: the run is created uncontrollable.
        create = {k: v for k, v in create.items() if k != "controllable"}
        status, body = _retrying(lambda: http.call("POST", "/api/runs", _encode(create)),
                                 retries, stop)
    if status != 201:
        raise TrainscopeError("creating the run: %s %s" % (status, body))
    return body


def sync(spool_path, url, token=None, retries=6):
    """Uploads a spool file's events to the server at url, after what its log already holds
    (creating the run first if it was created offline). Returns (run id, events sent, the log's
    next seq)."""
    spool = _Spool(spool_path)
    header, events = spool.read()
    http = _Http(url, token if token is not None else os.environ.get("TRAINSCOPE_TOKEN"))
    run_id = header.get("runId")
    if run_id is None:
        run_id = _create(http, header["create"], retries)["id"]
        spool.set_run(run_id)
    pending = [dict(e) for e in events]
    if not pending:
        return run_id, 0, _retrying(lambda: http.call("GET", "/api/runs/" + run_id), retries)[1][
            "events"]
    nxt = _retrying(lambda: _reconcile(http, run_id, pending), retries)[1]
    sent = len(pending)
    try:
        nxt = _upload(http, run_id, pending, retries) or nxt
    except _Ended as e:
        raise TrainscopeError("run %s has ended on the server; %d events could not be stored (%s)"
                              % (run_id, len(pending), e)) from e
    return run_id, sent, nxt


_ENDED_STATES = ("completed", "failed", "stopped", "interrupted")
_STANDARD = (("loss", ("loss",)), ("accuracy", ("accuracy", "acc")), ("valLoss", ("val_loss",)),
             ("valAccuracy", ("val_accuracy", "val_acc")), ("learningRate", ("lr", "learning_rate")))


class Run:
    """An external run on a Trainscope server: created (or attached to, with run_id) at once,
    then fed by log(), batch(), trace(), stats(), insight() and ended by finish() or fail(). As a
    context manager it finishes on a normal exit, fails on an exception (and on Ctrl-C ends as
    stopped). url and token default to $TRAINSCOPE_URL and $TRAINSCOPE_TOKEN."""

    def __init__(self, url=None, name=None, model=None, params=None, run_id=None, token=None,
                 controllable=True, spool=None, retries=6, flush_seconds=0.2,
                 reconnect_seconds=30.0):
        url = url or os.environ.get("TRAINSCOPE_URL") or "http://127.0.0.1:8080"
        token = token if token is not None else os.environ.get("TRAINSCOPE_TOKEN")
        self._http = _Http(url, token)
        self.url = self._http.url
        self._retries, self._flush_seconds = retries, flush_seconds
        self._reconnect_seconds = reconnect_seconds
        self._cond = threading.Condition()
        self._queue, self._pending = [], []  # logged, not taken; taken, not acknowledged
        self._busy = self._closing = self._flush_now = self._offline = self._ended = False
        self._stopping = threading.Event()
        self._control, self._last, self._watchers = None, {}, []
        self._control_seq = -1  # the log position the held control value is as of
        self.controllable = False
        create = {"external": True}
        for key, value in (("name", name), ("model", model), ("params", params)):
            if value is not None:
                create[key] = value
        if controllable:
            create["controllable"] = True
        if run_id is not None:
            status, detail = _retrying(lambda: self._http.call("GET", "/api/runs/" + run_id),
                                       retries)
            if status != 200:
                raise TrainscopeError("run %s: %s %s" % (run_id, status, detail))
            if detail.get("state") in _ENDED_STATES or not detail.get("external"):
                raise TrainscopeError("run %s is not a running external run (%s)"
                                      % (run_id, detail.get("state")))
            self.id, self._next_seq = run_id, detail["events"]
            self.controllable = bool(detail.get("controllable"))
            self._control = detail.get("control")
        else:
            try:
                summary = _create(self._http, create, retries)
                self.id, self._next_seq = summary["id"], 1  # the server's run-started is 0
                self.controllable = bool(summary.get("controllable"))
            except _Unreachable as e:
                self.id, self._next_seq = None, 1
                self._offline_reason = str(e)
        stamp = self.id or "offline-" + time.strftime("%Y%m%d-%H%M%S")
        self._spool = _Spool(spool or os.path.join("trainscope-spool", stamp + ".ndjson"))
        if self.id is None:
            self._go_offline(self._offline_reason, create)
        self._sender = threading.Thread(target=self._send_loop, name="trainscope-sender",
                                        daemon=True)
        self._sender.start()
        self._follower = None
        self._follow_control()
        _current.append(self)

    # -- what a training loop calls ------------------------------------------------------------

    def log(self, epoch, loss=None, accuracy=None, val_loss=None, val_accuracy=None, lr=None,
            epochs=None, duration_ms=None, **metrics):
        """An epoch's figures (epoch counts from 1). Every figure is also kept under the event's
        metrics by its name here; non-finite ones stay there only, as "NaN"/"Infinity"."""
        given = {"loss": loss, "accuracy": accuracy, "val_loss": val_loss,
                 "val_accuracy": val_accuracy, "lr": lr}
        figures = {k: v for k, v in given.items() if v is not None}
        figures.update(metrics)
        e = {"type": "epoch", "epoch": int(epoch),
             "metrics": {k: _metric(v) for k, v in figures.items()}}
        for field, names in _STANDARD:
            value = next((figures[n] for n in names if n in figures), None)
            if _finite(value) is not None:
                e[field] = _finite(value)
        if epochs is not None:
            e["epochs"] = int(epochs)
        if duration_ms is not None:
            e["durationMs"] = int(duration_ms)
        self._last = {k: e[k] for k in ("loss", "accuracy", "valLoss", "valAccuracy") if k in e}
        self._last["epochs"] = e["epoch"]
        self._emit(e)
        for w in list(self._watchers):
            w.on_epoch(self, int(epoch))

    def batch(self, epoch, batch, loss, batches=None):
        e = {"type": "batch", "epoch": int(epoch), "batch": int(batch), "loss": float(loss)}
        if batches is not None:
            e["batches"] = int(batches)
        self._emit(e)

    def trace(self, epoch, input, layers, probabilities, predicted=None, predicted_class=None,
              label=None, label_class=None):
        """An activations event: the probe's input, per layer {index, activation, inputs, units,
        linear, output, weights ([unit][input], optional)}, the class probabilities."""
        probabilities = [float(p) for p in probabilities]
        if predicted is None:
            predicted = max(range(len(probabilities)), key=probabilities.__getitem__)
        e = {"type": "activations", "epoch": int(epoch), "input": [float(v) for v in input],
             "layers": layers, "probabilities": probabilities, "predicted": int(predicted),
             "predictedClass": str(predicted if predicted_class is None else predicted_class)}
        if label is not None:
            e["label"] = int(label)
            e["labelClass"] = str(label if label_class is None else label_class)
        self._emit(e)

    def stats(self, epoch, layers):
        """A layer-stats event: per layer {index, activation, units, weights, biases, gradients,
        activations (each a summarize() dict), deadFraction, deadUnits, saturatedFraction,
        updateRatio}."""
        self._emit({"type": "layer-stats", "epoch": int(epoch), "layers": layers})

    def insight(self, epoch, level, code, message, layer=None):
        e = {"type": "insight", "epoch": int(epoch), "level": level, "code": code,
             "message": message}
        if layer is not None:
            e["layer"] = int(layer)
        self._emit(e)

    def watch(self, model, **options):
        """trainscope.torch.watch(model, run=self, ...)."""
        import trainscope_torch
        return trainscope_torch.watch(model, run=self, **options)

    def finish(self, timeout=None):
        """Ends the run as completed (stopped when a stop was asked) with the last figures."""
        self._end(dict(self._last, type="run-completed", stopped=self.should_stop()), timeout)

    def fail(self, reason, code=None, timeout=None):
        e = {"type": "run-failed", "reason": str(reason) or "failed"}
        if code is not None:
            e["code"] = code
        self._end(e, timeout)

    # -- control -------------------------------------------------------------------------------

    @property
    def control(self):
        """What the server last asked: "pause", "stop" or None."""
        return self._control

    def should_stop(self):
        return self._control == "stop"

    def wait_if_paused(self, timeout=None):
        """Blocks while the run is paused; True once it is not (resumed or stopped), False if
        timeout seconds passed first."""
        with self._cond:
            return self._cond.wait_for(lambda: self._control != "pause" or self._closing,
                                       timeout)

    def wait_for_control(self, value, timeout=None):
        """Blocks until the server's request is value ("pause", "stop" or None)."""
        with self._cond:
            return self._cond.wait_for(lambda: self._control == value, timeout)

    def _set_control(self, value, seq=None):
        """The server's request as of log position seq. Push answers and the control stream
        arrive on different threads and connections, so an older answer can come after a newer
        one: a value older than the one held is ignored. seq None (the run ended) always holds."""
        with self._cond:
            if seq is not None:
                if seq < self._control_seq:
                    return
                self._control_seq = seq
            if value != self._control:
                self._control = value
                self._cond.notify_all()

    def _on_answer(self, answer):
        if "control" in answer:
            # the request as of the answer's last event
            self._set_control(answer["control"], answer.get("nextSeq", 0) - 1)

    def _follow_control(self):
        if self.controllable and self.id is not None and self._follower is None:
            self._follower = threading.Thread(target=self._control_loop, daemon=True,
                                              name="trainscope-control")
            self._follower.start()

    def _control_loop(self):
        """GET /api/runs/{id}/control (SSE): the current request, then each change; it ends
        with the run. Reconnects after a drop."""
        try:
            self._read_control()
        finally:
            # The run has ended on the server (or cannot be controlled): nobody can resume it,
            # so a pause must not hold the training loop for ever.
            if self._control == "pause":
                self._set_control(None)

    def _read_control(self):
        delay = 0.25
        while not self._stopping.is_set():
            try:
                with self._http.stream("/api/runs/%s/control" % self.id, timeout=60) as r:
                    delay = 0.25
                    seq = None
                    for raw in r:
                        line = raw.decode("utf-8", "replace").strip()
                        if line.startswith("id:"):
                            try:
                                seq = int(line[3:].strip())
                            except ValueError:
                                seq = None
                        elif line.startswith("data:"):
                            try:
                                self._set_control(json.loads(line[5:]).get("control"), seq)
                            except (ValueError, AttributeError):
                                pass
                return
            except urllib.error.HTTPError as e:
                if e.code < 500:
                    return
            except (OSError, ValueError):
                pass
            if self._stopping.wait(delay):
                return
            delay = min(delay * 2, 5.0)

    # -- sending -------------------------------------------------------------------------------

    def flush(self, timeout=None):
        """Sends what is queued now; True once all of it is acknowledged or spooled."""
        with self._cond:
            self._flush_now = True
            self._cond.notify_all()
            return self._cond.wait_for(lambda: not self._queue and not self._busy, timeout)

    def close(self, timeout=None):
        """Stops the sender after it has sent (or spooled) everything; says where a spool is."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._sender.join(timeout)
        self._stopping.set()
        if self in _current:
            _current.remove(self)
        if self._offline and self._spool.exists():
            print("trainscope: the server at %s could not be reached; the run's events are in %s;"
                  " upload them with: python3 -m trainscope sync %s %s"
                  % (self.url, self._spool.path, self._spool.path, self.url), file=sys.stderr)

    @property
    def spool_path(self):
        """The spool file, if the client had to use one (None otherwise)."""
        return self._spool.path if self._spool.exists() else None

    @property
    def offline(self):
        return self._offline

    def _end(self, event, timeout):
        with self._cond:
            if self._closing:
                return
        self._emit(event)
        self.close(timeout)

    def _emit(self, e):
        e["time"] = int(time.time() * 1000)  # stamped here: it identifies the event on retries
        _encode(e)  # a NaN or a value JSON cannot hold raises here, in the caller's thread
        with self._cond:
            if self._closing:
                raise TrainscopeError("the run is closed")
            self._queue.append(e)
            self._cond.notify_all()

    def _send_loop(self):
        while True:
            with self._cond:
                while not (self._queue or self._closing or self._reconnect_due()):
                    self._cond.wait(self._reconnect_seconds if self._offline else None)
                deadline = time.monotonic() + self._flush_seconds
                while not (self._closing or self._flush_now or len(self._queue) >= BATCH_EVENTS):
                    left = deadline - time.monotonic()
                    if left <= 0 or self._offline:
                        break
                    self._cond.wait(left)
                taken, self._queue = self._queue, []
                self._flush_now, closing, self._busy = False, self._closing, True
            try:
                for e in taken:
                    e["seq"], self._next_seq = self._next_seq, self._next_seq + 1
                self._settle(taken, closing)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
            if closing:
                return

    def _reconnect_due(self):
        return self._offline and time.monotonic() >= self._next_reconnect

    def _settle(self, taken, closing):
        if self._ended:
            return
        if self._offline:
            if taken:
                self._spool.append(taken)
            if closing or self._reconnect_due():
                self._reconnect()
            return
        self._pending.extend(taken)
        try:
            nxt = _upload(self._http, self.id, self._pending, self._retries, None,
                          self._on_answer)
            if nxt is not None:
                self._next_seq = nxt
        except _Unreachable as e:
            self._go_offline(str(e))
        except _Ended:
            self._ended = True
            self._pending.clear()
            if self._control == "pause":
                self._set_control(None)
        except TrainscopeError as e:  # e.g. 401: kept in the spool for a sync with a token
            self._go_offline(str(e))

    def _go_offline(self, reason, create=None):
        warnings.warn("trainscope: %s; spooling events to %s" % (reason, self._spool.path))
        if not self._spool.exists():
            self._spool.start(self.id, create)
        self._spool.append(self._pending)
        self._pending.clear()
        self._offline = True
        self._next_reconnect = time.monotonic() + self._reconnect_seconds

    def _reconnect(self):
        """Uploads the spool and goes back online; on failure tries again later."""
        try:
            self.id, _, self._next_seq = sync(self._spool.path, self.url, self._http.token, 0)
        except (_Unreachable, TrainscopeError, OSError):
            self._next_reconnect = time.monotonic() + self._reconnect_seconds
            return
        os.remove(self._spool.path)
        self._offline = False
        self._follow_control()

    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        if kind is None:
            self.finish()
        elif issubclass(kind, KeyboardInterrupt):
            self._end(dict(self._last, type="run-completed", stopped=True), None)
        else:
            self.fail("%s: %s" % (kind.__name__, value))
        return False


def __getattr__(name):
    # trainscope.torch: the PyTorch hooks, in trainscope_torch.py, imported (with torch) on use.
    if name == "torch":
        import trainscope_torch
        return trainscope_torch
    raise AttributeError("module 'trainscope' has no attribute %r" % name)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m trainscope",
                                     description="Trainscope's Python client.")
    commands = parser.add_subparsers(dest="command", required=True)
    s = commands.add_parser("sync", help="upload a spool file's events to a server, resuming "
                                         "after the events its log already holds")
    s.add_argument("spool", help="the spool file a Run wrote while the server was unreachable")
    s.add_argument("url", help="the server, e.g. http://127.0.0.1:8080")
    s.add_argument("--token", help="the server's token (default: $TRAINSCOPE_TOKEN)")
    args = parser.parse_args(argv)
    try:
        run_id, sent, nxt = sync(args.spool, args.url, args.token)
    except _Unreachable as e:
        print("trainscope: cannot reach %s: %s" % (args.url, e), file=sys.stderr)
        return 1
    except (TrainscopeError, OSError) as e:
        print("trainscope: %s" % e, file=sys.stderr)
        return 1
    print("run %s: %d events uploaded; its log holds %d events" % (run_id, sent, nxt))
    return 0


if __name__ == "__main__":
    sys.exit(main())

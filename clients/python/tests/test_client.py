"""The Python client against a real server (TRAINSCOPE_URL): batching, retries without
duplicates, spool and sync, control."""

import math
import os
import socket
import subprocess
import sys
import tempfile
import threading
import unittest
import warnings

from support import URL, Proxy, api, epochs, logged

import trainscope

CLIENT_DIR = os.path.dirname(os.path.abspath(trainscope.__file__))
TIMEOUT = 30


def dead_url():
    """A loopback port nothing listens on."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return "http://127.0.0.1:%d" % port


def wait_online(run, timeout=TIMEOUT):
    with run._cond:
        return run._cond.wait_for(lambda: not run.offline, timeout)


class ClientTest(unittest.TestCase):
    def setUp(self):
        self.proxy = Proxy()
        self.tmp = tempfile.TemporaryDirectory()
        warnings.simplefilter("ignore")

    def tearDown(self):
        self.proxy.close()
        self.tmp.cleanup()

    def spool(self):
        return os.path.join(self.tmp.name, "run.spool.ndjson")

    def assertWholeLog(self, run_id, expected_epochs):
        events = logged(run_id)
        self.assertEqual([e["seq"] for e in events], list(range(len(events))))
        self.assertEqual(epochs(events), expected_epochs)
        return events

    def test_epochs_logged_at_once_go_in_one_ndjson_batch_in_order(self):
        run = trainscope.Run(self.proxy.url, name="batching", controllable=False,
                             flush_seconds=60)
        for e in range(1, 101):
            run.log(epoch=e, epochs=100, loss=1 / e)
        self.assertTrue(run.flush(TIMEOUT))
        self.assertEqual(self.proxy.pushed_events, [100])
        self.assertEqual(self.proxy.content_types, ["application/x-ndjson"])
        run.finish()
        events = self.assertWholeLog(run.id, list(range(1, 101)))
        self.assertEqual(events[1]["loss"], 1.0)
        self.assertEqual(events[-1]["type"], "run-completed")

    def test_a_batch_resent_after_a_cut_connection_is_stored_once(self):
        run = trainscope.Run(self.proxy.url, name="cut", controllable=False, retries=3)
        self.proxy.cut_next = 1  # the server stores the first push, its answer is lost
        for e in (1, 2, 3):
            run.log(epoch=e, loss=0.5)
        self.assertTrue(run.flush(TIMEOUT))
        self.assertEqual(self.proxy.cuts, 1)
        self.assertGreaterEqual(self.proxy.pushes, 2)
        self.assertFalse(run.offline)
        run.log(epoch=4, loss=0.4)
        run.finish()
        self.assertWholeLog(run.id, [1, 2, 3, 4])
        self.assertIsNone(run.spool_path)

    def test_a_status_the_server_wrote_between_pushes_takes_its_seq_and_loses_nothing(self):
        run = trainscope.Run(URL, name="status between", controllable=True)
        run.log(epoch=1, loss=0.9)
        self.assertTrue(run.flush(TIMEOUT))
        self.assertEqual(api("POST", "/api/runs/%s/pause" % run.id)[0], 200)
        api("POST", "/api/runs/%s/resume" % run.id)
        run.log(epoch=2, loss=0.8)  # numbered 2 by the client; the log's next is 4
        run.finish()
        events = self.assertWholeLog(run.id, [1, 2])
        self.assertEqual([e["type"] for e in events],
                         ["run-started", "epoch", "status", "status", "epoch", "run-completed"])

    def test_an_event_the_server_refuses_is_dropped_and_the_next_ones_are_stored(self):
        run = trainscope.Run(URL, name="refused", controllable=False, flush_seconds=60)
        run.log(epoch=1, loss=0.9)
        run.insight(1, "shouting", "x", "not a level the server knows")
        run.log(epoch=2, loss=0.8)
        run.finish()
        events = self.assertWholeLog(run.id, [1, 2])
        self.assertNotIn("insight", [e["type"] for e in events])

    def test_a_non_finite_figure_stays_in_metrics_as_a_string(self):
        run = trainscope.Run(URL, name="nan", controllable=False)
        run.log(epoch=1, loss=float("nan"), accuracy=0.5, val_loss=math.inf, top5=0.75)
        run.finish()
        epoch = logged(run.id)[1]
        self.assertNotIn("loss", epoch)
        self.assertNotIn("valLoss", epoch)
        self.assertEqual(epoch["accuracy"], 0.5)
        self.assertEqual(epoch["metrics"], {"loss": "NaN", "accuracy": 0.5,
                                            "val_loss": "Infinity", "top5": 0.75})

    def test_a_run_attached_to_continues_after_the_logs_last_seq(self):
        first = trainscope.Run(URL, name="attach", controllable=False)
        first.log(epoch=1, loss=0.9)
        first.log(epoch=2, loss=0.8)
        self.assertTrue(first.flush(TIMEOUT))
        second = trainscope.Run(URL, run_id=first.id)
        second.log(epoch=3, loss=0.7)
        second.finish()
        self.assertWholeLog(first.id, [1, 2, 3])
        first.close()

    def test_the_context_manager_fails_the_run_on_an_exception(self):
        with self.assertRaises(ValueError):
            with trainscope.Run(URL, name="boom", controllable=False) as run:
                run.log(epoch=1, loss=0.9)
                raise ValueError("boom")
        events = logged(run.id)
        self.assertEqual(events[-1]["type"], "run-failed")
        self.assertIn("boom", events[-1]["reason"])
        self.assertEqual(api("GET", "/api/runs/" + run.id)[1]["state"], "failed")

    def test_events_spooled_while_the_server_is_unreachable_are_synced_after_its_last_seq(self):
        run = trainscope.Run(self.proxy.url, name="spool", controllable=False, retries=1,
                             spool=self.spool(), reconnect_seconds=3600)
        run.log(epoch=1, loss=0.9)
        self.assertTrue(run.flush(TIMEOUT))
        self.proxy.mode = "cut"  # epoch 2 is stored, but the client never hears so
        run.log(epoch=2, loss=0.8)
        self.assertTrue(run.flush(TIMEOUT))
        self.assertTrue(run.offline)
        self.proxy.mode = "down"
        run.log(epoch=3, loss=0.7)
        run.finish()
        self.assertEqual(epochs(logged(run.id)), [1, 2])
        for _ in range(2):  # a second sync finds everything stored and sends nothing
            out = subprocess.run([sys.executable, "-m", "trainscope", "sync", self.spool(), URL],
                                 cwd=CLIENT_DIR, capture_output=True, text=True, timeout=TIMEOUT)
            self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("0 events uploaded", out.stdout)
        events = self.assertWholeLog(run.id, [1, 2, 3])
        self.assertEqual(events[-1]["type"], "run-completed")

    def test_a_run_begun_offline_is_created_by_its_first_sync_and_only_once(self):
        run = trainscope.Run(dead_url(), name="offline", params={"lr": 0.1}, retries=0,
                             spool=self.spool())
        self.assertIsNone(run.id)
        for e in (1, 2, 3):
            run.log(epoch=e, loss=1 / e)
        run.finish()
        run_id, sent, _ = trainscope.sync(self.spool(), URL)
        self.assertEqual(sent, 4)
        self.assertEqual(trainscope.sync(self.spool(), URL)[:2], (run_id, 0))
        self.assertWholeLog(run_id, [1, 2, 3])
        detail = api("GET", "/api/runs/" + run_id)[1]
        self.assertEqual((detail["name"], detail["params"], detail["state"]),
                         ("offline", {"lr": 0.1}, "completed"))

    def test_an_offline_client_goes_back_online_when_the_server_answers_again(self):
        run = trainscope.Run(self.proxy.url, name="reconnect", controllable=False, retries=0,
                             spool=self.spool(), reconnect_seconds=0.2)
        self.proxy.mode = "down"
        run.log(epoch=1, loss=0.9)
        self.assertTrue(run.flush(TIMEOUT))
        self.assertTrue(run.offline)
        self.proxy.mode = "forward"
        self.assertTrue(wait_online(run))
        run.log(epoch=2, loss=0.8)
        run.finish()
        self.assertWholeLog(run.id, [1, 2])
        self.assertFalse(os.path.exists(self.spool()))

    def test_the_sync_command_says_what_is_wrong_with_a_file_that_is_not_a_spool(self):
        with open(self.spool(), "w") as f:
            f.write('{"type": "epoch"}\n')
        out = subprocess.run([sys.executable, "-m", "trainscope", "sync", self.spool(), URL],
                             cwd=CLIENT_DIR, capture_output=True, text=True, timeout=TIMEOUT)
        self.assertEqual(out.returncode, 1)
        self.assertIn("no Trainscope spool header", out.stderr)


class ControlTest(unittest.TestCase):
    def test_pause_holds_wait_if_paused_until_resume_and_a_stop_ends_the_run_stopped(self):
        run = trainscope.Run(URL, name="control")
        self.assertTrue(run.controllable)
        run.log(epoch=1, loss=0.9)
        api("POST", "/api/runs/%s/pause" % run.id)
        self.assertTrue(run.wait_for_control("pause", TIMEOUT))
        self.assertFalse(run.wait_if_paused(timeout=0.2))
        released = threading.Event()
        waiter = threading.Thread(target=lambda: run.wait_if_paused() and released.set())
        waiter.start()
        self.assertFalse(released.is_set())
        api("POST", "/api/runs/%s/resume" % run.id)
        self.assertTrue(released.wait(TIMEOUT))
        self.assertFalse(run.should_stop())
        api("POST", "/api/runs/%s/stop" % run.id)
        self.assertTrue(run.wait_for_control("stop", TIMEOUT))
        self.assertTrue(run.should_stop())
        run.finish()
        events = logged(run.id)
        self.assertTrue(events[-1]["stopped"])
        self.assertEqual(api("GET", "/api/runs/" + run.id)[1]["state"], "stopped")

    def test_an_older_control_answer_arriving_late_does_not_undo_a_newer_one(self):
        run = trainscope.Run(URL, name="late answers")
        try:
            run._set_control("pause", 5)   # the stream: paused as of seq 5
            run._set_control(None, 7)      # the stream: resumed as of seq 7
            run._set_control("pause", 6)   # a push answered before the resume, read after it
            self.assertIsNone(run._control)
            self.assertTrue(run.wait_if_paused(timeout=0.2))
        finally:
            run.finish()

    def test_push_answers_carry_the_request_when_the_control_stream_is_unavailable(self):
        proxy = Proxy()
        proxy.block_control = True
        try:
            run = trainscope.Run(proxy.url, name="control by answer")
            api("POST", "/api/runs/%s/pause" % run.id)
            run.log(epoch=1, loss=0.9)
            self.assertTrue(run.flush(TIMEOUT))
            self.assertEqual(run.control, "pause")
            api("POST", "/api/runs/%s/stop" % run.id)
            run.log(epoch=2, loss=0.8)
            self.assertTrue(run.flush(TIMEOUT))
            self.assertTrue(run.should_stop())
            run.finish()
        finally:
            proxy.close()


class SummarizeTest(unittest.TestCase):
    def test_summary_bins_as_the_engine_does(self):
        s = trainscope.summarize([0, 1, 2, 3, 4], bins=4)
        self.assertEqual(s["histogram"], [1, 1, 1, 2])  # max goes in the last bin
        self.assertEqual((s["count"], s["mean"], s["min"], s["max"]), (5, 2.0, 0.0, 4.0))
        self.assertAlmostEqual(s["std"], math.sqrt(2))
        self.assertEqual(trainscope.summarize([3, 3], bins=2)["histogram"], [2, 0])


if __name__ == "__main__":
    unittest.main()

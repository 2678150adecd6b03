"""trainscope.torch's hooks on a small model with hand-set weights (no server needed)."""

import math
import unittest

import support  # noqa: F401  (puts the client on sys.path)

try:
    import torch
    from torch import nn

    import trainscope_torch
except ImportError:  # PythonClientTest runs the suite; without torch these are skipped
    torch = None

import trainscope


class Recorder:
    """Stands in for a Run: keeps what the watcher sends."""

    def __init__(self):
        self._watchers, self.traces, self.stats_ = [], [], []

    def trace(self, epoch, **event):
        self.traces.append(event)

    def stats(self, epoch, layers):
        self.stats_.append(layers)


def model():
    net = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 2), nn.Softmax(dim=1))
    with torch.no_grad():
        net[0].weight.copy_(torch.tensor([[1.0, -1.0], [0.5, 2.0]]))
        net[0].bias.copy_(torch.tensor([0.0, -1.0]))
        net[2].weight.copy_(torch.eye(2))
        net[2].bias.zero_()
    return net


@unittest.skipIf(torch is None, "torch is not installed (apt-get install -y python3-torch)")
class WatchTest(unittest.TestCase):
    def test_the_probes_trace_holds_each_layers_z_and_activation_and_the_probabilities(self):
        run = Recorder()
        trainscope_torch.watch(model(), probe=torch.tensor([1.0, 2.0]), run=run, label=1,
                               classes=["a", "b"])
        run._watchers[0].on_epoch(run, 1)
        t = run.traces[0]
        self.assertEqual(t["input"], [1.0, 2.0])
        first, second = t["layers"]
        self.assertEqual((first["linear"], first["output"]), ([-1.0, 3.5], [0.0, 3.5]))
        self.assertEqual(first["weights"], [[1.0, -1.0], [0.5, 2.0]])  # [unit][input]
        self.assertEqual((second["activation"], second["linear"]), ("softmax", [0.0, 3.5]))
        p1 = math.exp(3.5) / (1 + math.exp(3.5))
        self.assertAlmostEqual(t["probabilities"][1], p1, places=6)
        self.assertEqual((t["predicted"], t["predicted_class"], t["label_class"]), (1, "b", "b"))

    def test_statistics_count_dead_units_over_the_samples_and_the_last_step(self):
        net, run = model(), Recorder()
        w = trainscope_torch.watch(net, run=run, samples=torch.tensor([[1.0, 2.0], [-5, -5]]),
                                   every=2)
        opt = torch.optim.SGD(net.parameters(), lr=0.1)
        x = torch.tensor([[1.0, 2.0]])
        loss = -torch.log(net(x)[0, 0])
        loss.backward()
        step = 0.1 * net[0].weight.grad.norm().item()
        opt.step()
        w.on_epoch(run, 1)  # not an every-2nd epoch: nothing
        self.assertEqual(run.stats_, [])
        w.on_epoch(run, 2)
        first = run.stats_[0][0]
        # outputs over the samples: [[0, 3.5], [0, 0]] before the step moved z a little
        self.assertEqual((first["deadFraction"], first["deadUnits"]), (0.75, 1))
        self.assertAlmostEqual(first["updateRatio"], step / net[0].weight.norm().item())
        self.assertEqual(first["weights"], trainscope.summarize(net[0].weight.flatten().tolist()))
        self.assertEqual(first["activations"]["count"], 4)
        self.assertEqual(run.traces, [])  # no probe, no trace

    def test_model_info_names_each_layers_activation_and_parameters(self):
        info = trainscope_torch.model_info(model())
        self.assertEqual(info["layers"], [
            {"index": 0, "inputs": 2, "units": 2, "activation": "relu", "parameters": 6},
            {"index": 1, "inputs": 2, "units": 2, "activation": "softmax", "parameters": 6}])
        self.assertEqual((info["inputs"], info["parameters"]), (2, 12))


if __name__ == "__main__":
    unittest.main()

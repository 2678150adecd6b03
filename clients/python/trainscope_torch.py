"""trainscope.torch: the data-flow trace and the layer statistics of a PyTorch model, from hooks.

    import trainscope
    net = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 3), nn.Sigmoid(),
                        nn.Linear(3, 3), nn.Softmax(dim=1))
    with trainscope.Run(url, name="iris", model=trainscope.torch.model_info(net)) as run:
        trainscope.torch.watch(net, probe=x_val[0], label=int(y_val[0]), classes=names,
                               samples=x_val, every=1)
        for epoch in ...: train...; run.log(epoch=epoch, loss=...)

After each run.log() of an epoch divisible by ``every`` the watcher pushes, as the engine does on
a traced epoch, an ``activations`` event (the probe through the network in eval mode, without
gradients: per layer the nn.Linear's output z and the output of the activation module after it,
the class probabilities, the prediction) and a ``layer-stats`` event (per layer the summaries of
weights, biases, the weights' gradients of the last backward pass and the activations over up to
256 ``samples`` (else the last training batch), the dead-ReLU and saturated-sigmoid fractions,
and |last step| / |weights|).

A layer is an nn.Linear and the first activation module (nn.ReLU, nn.Sigmoid, ...) after it in
the model's module order, before the next nn.Linear; a functional activation (F.relu) is not a
module, so such a layer reads as "linear". The last step is the weights now minus the weights at
the last forward pass in training mode with gradients on; a forward in that mode after the last
optimizer step (validate under torch.no_grad()) makes the ratio 0. This module imports torch.
"""

import math
import struct
import warnings

import torch
from torch import nn

import trainscope

ACTIVATIONS = {nn.ReLU: "relu", nn.LeakyReLU: "leaky_relu", nn.Sigmoid: "sigmoid",
               nn.Tanh: "tanh", nn.Softmax: "softmax", nn.Identity: "linear"}
MAX_TRACED_WEIGHTS = 1024  # as the engine's LayerTrace.MAX_TRACED_WEIGHTS
MAX_STAT_SAMPLES = 256  # as the engine's layer statistics


def layers_of(model):
    """[(nn.Linear, its activation module or None)] in the model's module order."""
    pairs = []
    for m in model.modules():
        if isinstance(m, nn.Linear):
            pairs.append([m, None])
        elif pairs and pairs[-1][1] is None and type(m) in ACTIVATIONS:
            pairs[-1][1] = m
    return [tuple(p) for p in pairs]


def activation_name(module):
    return "linear" if module is None else ACTIVATIONS[type(module)]


def model_info(model, loss="cross_entropy"):
    """The run's model as run-started reports it: {inputs, layers, parameters, loss}."""
    layers = []
    for i, (lin, act) in enumerate(layers_of(model)):
        layers.append({"index": i, "inputs": lin.in_features, "units": lin.out_features,
                       "activation": activation_name(act),
                       "parameters": sum(p.numel() for p in lin.parameters())})
    return {"inputs": layers[0]["inputs"] if layers else 0, "layers": layers,
            "parameters": sum(p.numel() for p in model.parameters()), "loss": loss}


def decimal(x):
    """A float32 value as the double of its shortest decimal, as the engine writes it (0.69f is
    0.69 on the wire, not 0.6899999976158142)."""
    for digits in range(1, 10):
        d = float("%.*g" % (digits, x))
        if struct.unpack("f", struct.pack("f", d))[0] == x:
            return d
    return x


def decimals(t):
    return [decimal(v) for v in t.detach().float().flatten().cpu().tolist()]


def summary(t, bins=trainscope.BINS):
    """trainscope.summarize() of a tensor, computed in float64 with the engine's bin rule."""
    if t is None:
        return trainscope.summarize([])
    v = t.detach().double().flatten().cpu()
    n = v.numel()
    if n == 0:
        return trainscope.summarize([])
    lo, hi = v.min().item(), v.max().item()
    width = (hi - lo) / bins
    if width > 0:
        idx = ((v - lo) / width).floor().long().clamp(0, bins - 1)
    else:
        idx = torch.zeros(n, dtype=torch.long)
    return {"count": n, "mean": v.mean().item(), "std": v.std(unbiased=False).item(),
            "min": lo, "max": hi, "histogram": torch.bincount(idx, minlength=bins).tolist()}


class Watcher:
    """The hooks on one model; remove() takes them off."""

    def __init__(self, model, run, probe=None, every=1, label=None, classes=None, samples=None):
        if every < 1:
            raise ValueError("every >= 1 required but was %r" % (every,))
        self.model, self.run, self.every = model, run, every
        self.probe = None if probe is None else torch.as_tensor(probe).detach()
        self.label, self.classes = label, classes
        self.samples = None if samples is None else samples[:MAX_STAT_SAMPLES].detach()
        self.layers = layers_of(model)
        if not self.layers:
            raise ValueError("the model has no nn.Linear to watch")
        self._out = {}  # module -> its last output
        self._before = {}  # nn.Linear -> its weights at the last training forward
        self._handles = []
        for lin, act in self.layers:
            self._handles.append(lin.register_forward_pre_hook(self._snapshot))
            self._handles.append(lin.register_forward_hook(self._capture))
            if act is not None:
                self._handles.append(act.register_forward_hook(self._capture))
        run._watchers.append(self)

    def remove(self):
        for h in self._handles:
            h.remove()
        self._handles = []
        if self in self.run._watchers:
            self.run._watchers.remove(self)

    def _snapshot(self, module, inputs):
        if module.training and torch.is_grad_enabled():
            w = module.weight.detach()
            before = self._before.get(module)
            if before is None or before.shape != w.shape:
                self._before[module] = w.clone()
            else:
                before.copy_(w)

    def _capture(self, module, inputs, output):
        self._out[module] = output.detach()

    def on_epoch(self, run, epoch):
        """Called by run.log(): on every ``every``-th epoch, the trace and the statistics."""
        if epoch % self.every != 0:
            return
        training = self.model.training
        try:
            self.model.eval()
            with torch.no_grad():
                if self.samples is not None:
                    self.model(self.samples)
                stats = self._stats()
                trace = self._trace() if self.probe is not None else None
        finally:
            self.model.train(training)
        for send, event in ((run.trace, trace), (run.stats, stats)):
            if event is None:
                continue
            try:
                send(epoch, **event)
            except ValueError as e:  # a NaN somewhere: the server would refuse the event
                warnings.warn("trainscope: epoch %d's %s not sent: %s" % (epoch, send.__name__, e))

    def _trace(self):
        x = self.probe.reshape(1, -1) if self.probe.dim() <= 1 else self.probe[:1]
        self._out.clear()
        out = self.model(x)
        layers = []
        for i, (lin, act) in enumerate(self.layers):
            if lin not in self._out:
                warnings.warn("trainscope: layer %d did not run on the probe; no trace" % i)
                return None
            z = self._out[lin]
            a = self._out.get(act, z)
            layer = {"index": i, "activation": activation_name(act), "inputs": lin.in_features,
                     "units": lin.out_features, "linear": decimals(z[0]), "output": decimals(a[0])}
            if lin.in_features * lin.out_features <= MAX_TRACED_WEIGHTS:
                layer["weights"] = [decimals(row) for row in lin.weight]  # [unit][input]
            layers.append(layer)
        last = self.layers[-1][1]
        probs = self._out[last][0] if last is not None and activation_name(last) == "softmax" \
            else torch.softmax(out.reshape(-1).float(), dim=0)
        probabilities = decimals(probs)
        predicted = max(range(len(probabilities)), key=probabilities.__getitem__)
        name = self.classes[predicted] if self.classes else None
        event = {"input": decimals(x[0]), "layers": layers, "probabilities": probabilities,
                 "predicted": predicted, "predicted_class": name}
        if self.label is not None:
            event["label"] = int(self.label)
            event["label_class"] = self.classes[int(self.label)] if self.classes else None
        return event

    def _stats(self):
        layers = []
        for i, (lin, act) in enumerate(self.layers):
            a = self._out.get(act if act is not None else lin)
            name = activation_name(act)
            stat = {"index": i, "activation": name, "units": lin.out_features,
                    "weights": summary(lin.weight), "biases": summary(lin.bias),
                    "gradients": summary(lin.weight.grad), "activations": summary(a),
                    "updateRatio": self._update_ratio(lin)}
            if a is not None and name == "relu":
                rows = a.reshape(a.shape[0], -1)
                stat["deadFraction"] = (rows == 0).double().mean().item()
                stat["deadUnits"] = int((rows == 0).all(dim=0).sum().item())
            elif a is not None and name == "sigmoid":
                stat["saturatedFraction"] = ((a < 0.01) | (a > 0.99)).double().mean().item()
            layers.append(stat)
        return {"layers": layers}

    def _update_ratio(self, lin):
        w = lin.weight.detach().double()
        before = self._before.get(lin)
        norm = w.norm().item()
        if before is None or norm == 0 or not math.isfinite(norm):
            return 0.0
        return (w - before.double()).norm().item() / norm


def watch(model, probe=None, every=1, run=None, label=None, classes=None, samples=None):
    """Hooks model's layers into run (default: the newest open trainscope.Run). probe: one
    sample (its features) to trace; label, classes: its class index and the class names;
    samples: up to 256 inputs whose activations the statistics summarize (e.g. validation)."""
    run = run or trainscope.current()
    if run is None:
        raise ValueError("no open trainscope.Run: create one first, or pass run=")
    return Watcher(model, run, probe, every, label, classes, samples)

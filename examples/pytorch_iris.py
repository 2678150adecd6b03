"""The seed's network (4 -> 3 ReLU -> 3 sigmoid -> 3 softmax) trained on Iris in PyTorch, watched
live in Trainscope: epoch figures, the probe's trip through the layers and layer statistics.
Stop and Pause on the dashboard act at the next epoch boundary.

    java -jar server/target/trainscope.jar serve &
    /usr/bin/python3 examples/pytorch_iris.py --url http://127.0.0.1:8080

It prints one JSON line first, {"run": <id>, "probe": <the probe as the network takes it>},
then a line per 20 epochs.
"""

import argparse
import csv
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "clients", "python"))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

import trainscope  # noqa: E402
import trainscope_torch  # noqa: E402  (also reachable as trainscope.torch)

IRIS = os.path.join(HERE, "..", "engine", "src", "main", "resources", "dev", "trainscope",
                    "engine", "data", "iris.csv")


def load(path):
    """Features and class indexes of a CSV whose last column is the class."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))[1:]
    classes = []
    for r in rows:
        if r[-1] not in classes:
            classes.append(r[-1])
    x = torch.tensor([[float(v) for v in r[:-1]] for r in rows])
    y = torch.tensor([classes.index(r[-1]) for r in rows])
    return x, y, classes


def stratified_split(y, fraction, generator):
    """Indexes of training and validation samples, fraction of each class to validation."""
    train, val = [], []
    for c in y.unique():
        idx = (y == c).nonzero().flatten()
        idx = idx[torch.randperm(len(idx), generator=generator)]
        k = round(len(idx) * fraction)
        val += idx[:k].tolist()
        train += idx[k:].tolist()
    return torch.tensor(sorted(train)), torch.tensor(sorted(val))


def network():
    net = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 3), nn.Sigmoid(),
                        nn.Linear(3, 3), nn.Softmax(dim=1))
    for m in net:
        if isinstance(m, nn.Linear):  # He initialisation, as the engine's reference network
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            nn.init.zeros_(m.bias)
    return net


def cross_entropy(probabilities, y):
    return F.nll_loss(torch.log(probabilities.clamp_min(1e-7)), y)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--csv", default=IRIS, help="the data (default: the engine's iris.csv)")
    p.add_argument("--url", default=None, help="the server (default: $TRAINSCOPE_URL)")
    p.add_argument("--epochs", type=int, default=200)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--every", type=int, default=1, help="epochs between trace and statistics")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--name", default="pytorch iris [3 relu, 3 sigmoid, 3 softmax]")
    args = p.parse_args(argv)

    torch.manual_seed(args.seed)
    x, y, classes = load(args.csv)
    train, val = stratified_split(y, 0.2, torch.Generator().manual_seed(args.seed))
    mean, std = x[train].mean(0), x[train].std(0)
    x = (x - mean) / std  # standardised with the training samples' figures
    xt, yt, xv, yv = x[train], y[train], x[val], y[val]
    net = network()
    opt = torch.optim.SGD(net.parameters(), lr=args.lr)
    params = {"optimizer": "sgd", "learningRate": args.lr, "batchSize": args.batch_size,
              "epochs": args.epochs, "seed": args.seed, "framework": "pytorch " + torch.__version__}
    with trainscope.Run(args.url, name=args.name, params=params,
                        model=trainscope_torch.model_info(net)) as run:
        print(json.dumps({"run": run.id, "probe": trainscope_torch.decimals(xv[0])}), flush=True)
        trainscope_torch.watch(net, probe=xv[0], label=int(yv[0]), classes=classes,
                               samples=xv, every=args.every, run=run)
        for epoch in range(1, args.epochs + 1):
            net.train()
            total, correct, seen = 0.0, 0, 0
            for batch in torch.randperm(len(xt)).split(args.batch_size):
                opt.zero_grad()
                out = net(xt[batch])
                loss = cross_entropy(out, yt[batch])
                loss.backward()
                opt.step()
                total += loss.item() * len(batch)
                correct += (out.argmax(1) == yt[batch]).sum().item()
                seen += len(batch)
            net.eval()
            with torch.no_grad():
                out = net(xv)
                val_loss = cross_entropy(out, yv).item()
                val_acc = (out.argmax(1) == yv).float().mean().item()
            run.log(epoch=epoch, epochs=args.epochs, loss=total / seen, accuracy=correct / seen,
                    val_loss=val_loss, val_accuracy=val_acc, lr=args.lr)
            if epoch % 20 == 0 or epoch == args.epochs:
                print("epoch %d loss %.4f accuracy %.3f val_loss %.4f val_accuracy %.3f"
                      % (epoch, total / seen, correct / seen, val_loss, val_acc), flush=True)
            if run.control == "pause":  # read once: a pause arriving later waits an epoch
                run.flush()  # what this epoch pushed is stored before the loop waits
                print("paused after epoch %d" % epoch, flush=True)
                run.wait_if_paused()
            if run.should_stop():
                print("stopped at epoch %d" % epoch, flush=True)
                break
    return 0


if __name__ == "__main__":
    sys.exit(main())

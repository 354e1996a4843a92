"""The function-hook and link-hook machinery: registration, order and arguments."""

import threading

import numpy
import pytest

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import function_hook, link_hook


class Log(kusari.FunctionHook):
    def __init__(self, name="Log", log=None):
        self.name = name
        self.log = [] if log is None else log

    def added(self, function):
        self.log.append(("added", self.name, function))

    def deleted(self, function):
        self.log.append(("deleted", self.name, function))

    def forward_preprocess(self, function, in_data):
        self.log.append(("fpre", self.name, function.label, [a.shape for a in in_data]))

    def forward_postprocess(self, function, in_data):
        self.log.append(("fpost", self.name, function.label))

    def backward_preprocess(self, function, in_data, out_grad):
        self.log.append(("bpre", self.name, function.label,
                         [None if a is None else a.shape for a in in_data],
                         [None if g is None else g.tolist() for g in out_grad]))

    def backward_postprocess(self, function, in_data, out_grad):
        self.log.append(("bpost", self.name, function.label))


def test_global_function_hook_sees_forward_and_backward_in_order():
    before = function_hook._registered[0]  # other tests' dead nodes may still count
    x = kusari.Variable(numpy.array([-1.0, 2.0], numpy.float32))
    with Log() as hook:
        y = F.sum(F.relu(x))
        y.backward()
    assert hook.log == [
        ("added", "Log", None),
        ("fpre", "Log", "ReLU", [(2,)]),
        ("fpost", "Log", "ReLU"),
        ("fpre", "Log", "Sum", [(2,)]),
        ("fpost", "Log", "Sum"),
        # Sum's input is ReLU's retained output; ReLU's input is not retained
        ("bpre", "Log", "Sum", [(2,)], [1.0]),
        ("bpost", "Log", "Sum"),
        ("bpre", "Log", "ReLU", [None], [[1.0, 1.0]]),
        ("bpost", "Log", "ReLU"),
        ("deleted", "Log", None),
    ]
    numpy.testing.assert_array_equal(x.grad, [0.0, 1.0])
    assert function_hook._registered[0] == before
    assert len(kusari.get_function_hooks()) == 0
    F.relu(x)  # outside the block: nothing logged
    assert len(hook.log) == 10


def test_function_hook_names_are_unique_per_thread():
    before = function_hook._registered[0]
    with Log("A"):
        with pytest.raises(KeyError, match="hook A already exists"):
            with Log("A"):
                pass
        seen = []

        def other_thread():
            seen.append(list(kusari.get_function_hooks()))

        t = threading.Thread(target=other_thread)
        t.start()
        t.join()
        assert seen == [[]]  # registrations are per thread
    assert function_hook._registered[0] == before


def test_local_function_hook_applies_to_its_node_only():
    before = function_hook._registered[0]
    log = []
    x = kusari.Variable(numpy.ones(2, numpy.float32))
    from kusari.functions.activation.relu import ReLU

    node = ReLU()
    hook = Log("Local", log)
    node.add_hook(hook)
    assert node.local_function_hooks == {"Local": hook}
    with pytest.raises(KeyError, match="Hook Local already exists"):
        node.add_hook(Log("Local"))
    with pytest.raises(TypeError, match="FunctionHook"):
        node.add_hook(object())
    with Log("Global", log):
        y, = node.apply((x,))
        F.relu(x)  # another node: only the global hook
    labels = [(e[0], e[1]) for e in log if e[0] in ("fpre", "fpost")]
    # the global hooks run first, then the node's own
    assert labels == [("fpre", "Global"), ("fpre", "Local"), ("fpost", "Global"),
                      ("fpost", "Local"), ("fpre", "Global"), ("fpost", "Global")]
    F.sum(y).backward()
    assert [e[:3] for e in log if e[0] == "bpre"] == [("bpre", "Local", "ReLU")]
    node.delete_hook("Local")
    assert log[-1] == ("deleted", "Local", node)
    with pytest.raises(KeyError, match="Hook Local does not exist"):
        node.delete_hook("Local")
    assert log[0] == ("added", "Local", node)
    assert function_hook._registered[0] == before


def test_legacy_function_hooks_reach_each_call():
    before = function_hook._registered[0]
    class Twice(kusari.Function):
        def forward(self, inputs):
            return inputs[0] * 2,

        def backward(self, inputs, grad_outputs):
            return grad_outputs[0] * 2,

    f = Twice()
    hook = Log("T")
    f.add_hook(hook)
    x = kusari.Variable(numpy.ones(1))
    f(x).backward()
    f(x)
    assert [e[0] for e in hook.log] == ["added", "fpre", "fpost", "bpre", "bpost",
                                        "fpre", "fpost"]
    f.delete_hook("T")
    assert function_hook._registered[0] == before


class LinkLog(kusari.LinkHook):
    def __init__(self, name="LinkLog", log=None):
        self.name = name
        self.log = [] if log is None else log

    def added(self, link):
        self.log.append(("added", self.name, link))

    def deleted(self, link):
        self.log.append(("deleted", self.name, link))

    def forward_preprocess(self, args):
        self.log.append(("pre", self.name, type(args.link).__name__, args.forward_name,
                         len(args.args), dict(args.kwargs)))

    def forward_postprocess(self, args):
        self.log.append(("post", self.name, type(args.link).__name__, args.out.shape))


def test_link_hooks_global_and_local():
    before = link_hook._registered[0]
    log = []
    inner = L.Linear(2, 3)
    model = kusari.Sequential(inner, L.Linear(3, 1))
    assert inner.add_hook(LinkLog("Local", log)) is inner
    with pytest.raises(KeyError, match="Hook Local already exists"):
        inner.add_hook(LinkLog("Local"))
    with pytest.raises(TypeError, match="LinkHook"):
        inner.add_hook(Log())
    x = numpy.ones((4, 2), numpy.float32)
    with LinkLog("Global", log):
        model(x)
    inner(x, n_batch_axes=1)
    assert log == [
        ("added", "Local", inner),
        ("added", "Global", None),
        ("pre", "Global", "Sequential", "forward", 1, {}),
        ("pre", "Global", "Linear", "forward", 1, {}),
        ("pre", "Local", "Linear", "forward", 1, {}),
        ("post", "Global", "Linear", (4, 3)),
        ("post", "Local", "Linear", (4, 3)),
        ("pre", "Global", "Linear", "forward", 1, {}),
        ("post", "Global", "Linear", (4, 1)),
        ("post", "Global", "Sequential", (4, 1)),
        ("deleted", "Global", None),
        ("pre", "Local", "Linear", "forward", 1, {"n_batch_axes": 1}),
        ("post", "Local", "Linear", (4, 3)),
    ]
    inner.delete_hook("Local")
    with pytest.raises(KeyError, match="does not exist"):
        inner.delete_hook("Local")
    assert link_hook._registered[0] == before
    assert "link=" in repr(link_hook._ForwardPreprocessCallbackArgs(inner, "forward", (), {}))

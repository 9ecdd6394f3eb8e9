"""scikit-learn's callback API (``sklearn.callback``, new in 1.9), when present,
and the hooks that report each epoch to it.

On an older scikit-learn the estimators work the same without it: the
context below accepts the calls and does nothing, and ``set_callbacks`` does
not exist, so that asking for callbacks fails loudly rather than silently.
"""

try:
    from sklearn.callback import CallbackSupportMixin, with_callbacks

    HAVE_CALLBACKS = True
except ImportError:  # scikit-learn < 1.9
    HAVE_CALLBACKS = False

    class _NullCallbackContext:
        def subcontext(self, *args, **kwargs):
            return self

        def call_on_fit_task_begin(self, **kwargs):
            return self

        def call_on_fit_task_end(self, **kwargs):
            return False

    class CallbackSupportMixin:
        """Stands in for scikit-learn's mixin: no callbacks, no ``set_callbacks``."""

        def _init_callback_context(self, *args, **kwargs):
            return _NullCallbackContext()

    def with_callbacks(method):
        return method


def epoch_hooks(estimator, callbacks, X, y, metadata, monitor):
    """``(on_epoch_begin, on_epoch_end)`` reporting each epoch to ``callbacks``.

    A callback that asks for ``fitted_estimator`` gets the model as it stands
    after the epoch (``estimator._snapshot``), made only when asked for.
    """
    epochs = []

    def on_epoch_begin():
        epochs.append(callbacks.subcontext(task_name="epoch"))
        epochs[-1].call_on_fit_task_begin(estimator=estimator, X=X, y=y, metadata=metadata)

    def on_epoch_end():
        return epochs[-1].call_on_fit_task_end(
            estimator=estimator,
            X=X,
            y=y,
            metadata=metadata,
            reconstruction_attributes=lambda: estimator._snapshot(monitor),
        )

    return on_epoch_begin, on_epoch_end


__all__ = ["HAVE_CALLBACKS", "CallbackSupportMixin", "epoch_hooks", "with_callbacks"]

"""scikit-learn's callback API (``sklearn.callback``, new in 1.9), when present.

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


__all__ = ["HAVE_CALLBACKS", "CallbackSupportMixin", "with_callbacks"]

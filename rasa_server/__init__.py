"""Code the Rasa server loads (custom NLU components, policy, channels, tracker store).

Kept out of `actions/`, because the action server imports every module of that package
and must not pull in Rasa itself.

The Rasa server imports this package when it loads the model's components and the tracker
store, so these fixes of Rasa 3.6 costs are in place before the model loads, before
the first conversation is read and before the first action server reply is checked
(each module says what it measured).
"""

from rasa_server import action_reply_validation, event_types, fast_model_load, privacy, session_start, store_guard

action_reply_validation.install()
event_types.install()
fast_model_load.install()
store_guard.install()  # tracker store failures are loud, never an in-memory fallback
privacy.install()  # log lines without sender ids or message text
session_start.install()  # the scope statement without a call to the action server

"""Code the Rasa server loads (custom NLU components, policy, channels, tracker store).

Kept out of `actions/`, because the action server imports every module of that package
and must not pull in Rasa itself.

The Rasa server imports this package when it loads the model's components and the tracker
store, so the fix below is in place before the first action server reply is checked.
"""

from rasa_server import action_reply_validation

action_reply_validation.install()

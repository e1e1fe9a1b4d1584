"""Code the Rasa server loads (custom NLU components and channels).

Kept out of `actions/`, because the action server imports every module of that package
and must not pull in Rasa itself.
"""

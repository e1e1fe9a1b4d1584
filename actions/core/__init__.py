"""Plain-Python core shared by the Rasa server and the action server.

Nothing in this package imports rasa or rasa_sdk, so both processes can use it and its
tests run in milliseconds.
"""

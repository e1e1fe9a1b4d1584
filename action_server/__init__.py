"""Our launcher of rasa-sdk's action server: loopback by default, and a shared secret if set."""

"""Real-time events: each worker's open connections (`hub`) and what carries events to them (`relay`)."""

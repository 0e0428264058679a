"""Real-time events: each worker's connections (`hub`) and what brings events to them (`relay`)."""

"""`script/run`: the whole product on one machine, with a demo home and a virtual satellite.

Modules in the order a start goes through them: `settings` (ports, paths, credentials),
`processes` (child processes that start, are watched and stop), `services` (which
programs run), `ha_api` (Home Assistant's REST and websocket APIs), `onboarding`,
`home_setup` (Wyoming entries, the agent, the pipeline, the satellite: idempotent),
`stack` (all of it together), `spoken_turn` and `turn_report` (`--say`).
"""

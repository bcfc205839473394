"""The pure core of the agent: reading a request, choosing devices, the prompt, the plan.

Nothing in this folder imports Home Assistant (a test walks every module): the core
works on `home_model` types that the Home Assistant side (`think/`, `fast/`) fills in,
so it is tested directly and runs the same in benchmarks.
"""

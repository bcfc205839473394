"""hybrid_voice satellite: microphone -> local wake word -> Home Assistant over Wyoming.

Home Assistant's wyoming integration connects to this program (it is a Wyoming server),
the satellite listens for the wake word locally, streams the command to Home Assistant,
and plays the spoken reply.
"""

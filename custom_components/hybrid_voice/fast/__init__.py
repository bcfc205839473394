"""The fast path: the cloud Realtime model for requests the local model cannot answer.

Reserved: the Realtime session, its events, the one function that builds what leaves
the house, the cost budget and the path's health land here.
"""

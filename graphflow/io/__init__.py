"""Serialised graphs: a JSON form of a graph that round-trips without pickle."""

"""The Keras engine: the base layer, the Input layer and the models built from layers."""

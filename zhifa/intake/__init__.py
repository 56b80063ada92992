"""Clues (案源线索): intake from every source, geo-routing, classification, dispatch and the closed loop."""

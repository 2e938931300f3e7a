"""Disk to model: read every content file once and build the Handbook."""

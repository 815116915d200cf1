"""The demo's stories as data: which cells, which months, what is said.

The modules one level up (chibo/demo/meetings.py, feedback.py) write them
through the product's services; nothing here touches the database.
"""

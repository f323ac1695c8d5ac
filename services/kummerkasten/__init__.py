"""The anonymous Kummerkasten: staff raise questions and problems without any link to their person.

What a message keeps is its topic, its text, a metadata-free attachment, the day it arrived and the hash
of its receipt code; nothing names the writer, their session, address, browser or the time of day.
Handlers (the responsibility ``handle_kummerkasten`` on the topic's unit, or the city's root unit) see a
day's messages together from the next day on, answer and close them; the writer reads the answers and
replies with the receipt code.
"""

"""The virtual coffee kitchen: who says "I'm having a coffee" now, and the city's video room to join them.

Presence is one row per person holding only when it ends (`CoffeePresence.until`): no start, no
history. Reads ignore what has ended; every visit to the kitchen and the retention run delete ended rows,
so nothing about who had coffee when outlives the coffee. Nobody appears unless they say so themselves.
"""

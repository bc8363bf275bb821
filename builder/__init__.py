"""Leaders' Letters' builder: load → validate → link → derive → outputs → write (pipeline.py runs them).

model/ is what every stage reads; each stage's folder imports only the model and the stages
before it; preview/ and cli/ sit on top. tests/test_layout.py holds the code to that.
"""

print("ganlab: not built yet")

import Service
print("intaked")

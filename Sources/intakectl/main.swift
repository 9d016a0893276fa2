import Service
print("intakectl")

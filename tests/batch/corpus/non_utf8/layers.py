SCORE = 10
# auteur: Renée
def relu_forward(x):
    return x * (x > 0), x

class Meta(type):
    @property
    def __name__(cls):
        raise RuntimeError("no name")


class Nameless(Exception, metaclass=Meta):
    def __str__(self):
        raise RuntimeError("no text")


raise Nameless()

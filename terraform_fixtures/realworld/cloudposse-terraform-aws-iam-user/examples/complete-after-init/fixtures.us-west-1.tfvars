region = "us-west-1"

namespace = "eg"

stage = "test"

user_name = "cp-testing-user"
